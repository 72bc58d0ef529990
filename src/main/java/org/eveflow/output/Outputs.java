package org.eveflow.output;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.eveflow.aggregate.AggregateSink;

/**
 * Routes lines to the configured outputs: raw event lines by each output's type filter, aggregate
 * lines to every output that takes aggregates. A raw line is copied once (with its '\n') and shared
 * read-only between outputs. Thread-safe (forwarders are).
 */
public final class Outputs implements AggregateSink {
    private final List<SocketForwarder> forwarders;
    private final ByteBufAllocator alloc;

    public Outputs(List<SocketForwarder> forwarders, ByteBufAllocator alloc) {
        this.forwarders = List.copyOf(forwarders);
        this.alloc = alloc;
    }

    public List<SocketForwarder> forwarders() {
        return forwarders;
    }

    /** Whether any output forwards the raw line of this event type. */
    public boolean forwards(String eventType) {
        for (SocketForwarder f : forwarders) {
            if (f.config().forwards(eventType)) {
                return true;
            }
        }
        return false;
    }

    /** Offers the line's readable bytes (no line ending) to every output that forwards the type. */
    public void offerRaw(String eventType, ByteBuf line) {
        offerCopy(eventType, copy(line));
    }

    /** The line's readable bytes and a '\n' in a buffer of their own (the caller owns it). */
    public ByteBuf copy(ByteBuf line) {
        int len = line.readableBytes();
        ByteBuf copy = alloc.directBuffer(len + 1, len + 1);
        return copy.writeBytes(line, line.readerIndex(), len).writeByte('\n');
    }

    /** Offers a line made by {@link #copy} to every output that forwards the type; takes ownership. */
    public void offerCopy(String eventType, ByteBuf copy) {
        for (SocketForwarder f : forwarders) {
            if (f.config().forwards(eventType)) {
                f.offerRaw(copy.retainedDuplicate());
            }
        }
        copy.release();
    }

    @Override
    public void offerAggregate(byte[] line, long deadlineNanos) {
        ByteBuf shared = null;
        for (SocketForwarder f : forwarders) {
            if (!f.config().aggregates()) {
                continue;
            }
            if (shared == null) {
                shared = Unpooled.wrappedBuffer(line);
            }
            f.offerAggregate(shared.retainedDuplicate(), deadlineNanos);
        }
        if (shared != null) {
            shared.release();
        }
    }

    public void start() {
        forwarders.forEach(SocketForwarder::start);
    }
}

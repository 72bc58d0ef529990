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
        ByteBuf copy = null;
        for (SocketForwarder f : forwarders) {
            if (!f.config().forwards(eventType)) {
                continue;
            }
            if (copy == null) {
                int len = line.readableBytes();
                copy = alloc.directBuffer(len + 1, len + 1);
                copy.writeBytes(line, line.readerIndex(), len).writeByte('\n');
            }
            f.offerRaw(copy.retainedDuplicate());
        }
        if (copy != null) {
            copy.release();
        }
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

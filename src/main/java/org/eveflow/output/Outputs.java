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

    /**
     * The line {@code buf[off, off + len)} (no line ending) and a '\n' in a buffer of its own (the
     * caller owns it), with {@code insert} (JSON members such as {@code ,"k":"v"}, or nothing) placed
     * before the line's closing '}' (the last byte other than blanks); the other bytes are unchanged.
     */
    public ByteBuf copy(byte[] buf, int off, int len, byte[] insert) {
        int close = -1;
        if (insert.length > 0) {
            for (int i = off + len - 1; i >= off; i--) {
                byte b = buf[i];
                if (b == '}') {
                    close = i;
                    break;
                }
                if (b != ' ' && b != '\t' && b != '\r') {
                    break;
                }
            }
        }
        if (close < 0) {
            ByteBuf copy = alloc.directBuffer(len + 1, len + 1);
            return copy.writeBytes(buf, off, len).writeByte('\n');
        }
        int n = len + insert.length + 1;
        ByteBuf copy = alloc.directBuffer(n, n);
        return copy.writeBytes(buf, off, close - off).writeBytes(insert)
                .writeBytes(buf, close, off + len - close).writeByte('\n');
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

    /**
     * Copies the line into one heap buffer shared by the outputs (not the pooled allocator's direct
     * memory: aggregates may wait for room in an output, and `-XX:MaxDirectMemorySize` is sized for
     * the input and raw lines).
     */
    @Override
    public void offerAggregate(byte[] buf, int len, long deadlineNanos) {
        ByteBuf shared = null;
        for (SocketForwarder f : forwarders) {
            if (!f.config().aggregates()) {
                continue;
            }
            if (shared == null) {
                shared = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(buf, len));
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

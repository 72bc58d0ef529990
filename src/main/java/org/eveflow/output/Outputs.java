package org.eveflow.output;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.eveflow.aggregate.AggregateSink;
import org.eveflow.log.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * Routes lines to the configured outputs: raw event lines by each output's type filter, aggregate
 * lines to every output that takes aggregates. A raw line is copied once (with its '\n') and shared
 * read-only between outputs. When no direct memory is left for a copy, its lines are dropped and
 * counted on each output that would have taken them ({@code output_dropped_full}), with a rate-limited
 * warning, and the daemon goes on; further copies are not attempted for a while ({@link AllocationBackoff}).
 * Thread-safe (outputs are).
 */
public final class Outputs implements AggregateSink {
    private static final RateLimitedLog NO_MEMORY = new RateLimitedLog(LoggerFactory.getLogger(Outputs.class), 10_000);
    private static final String NO_MEMORY_WARNING = "no direct memory left for {} to forward ({}): dropped, counted in"
            + " output_dropped_full, and copies are skipped for up to 5 s while it lasts; -XX:MaxDirectMemorySize is"
            + " too small for the input's and the outputs' buffers";
    private final List<Output> outputs;
    private final ByteBufAllocator alloc;
    private final AllocationBackoff backoff = new AllocationBackoff();

    public Outputs(List<? extends Output> outputs, ByteBufAllocator alloc) {
        this.outputs = List.copyOf(outputs);
        this.alloc = alloc;
    }

    public List<Output> all() {
        return outputs;
    }

    /** Whether any output forwards the raw line of this event type. */
    public boolean forwards(String eventType) {
        for (Output f : outputs) {
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
     * Null when there was no direct memory for it: then the line is counted dropped on every output
     * that forwards {@code eventType}.
     */
    public ByteBuf copy(String eventType, byte[] buf, int off, int len, byte[] insert) {
        int close = insert.length > 0 ? closingBrace(buf, off, len) : -1;
        int n = close < 0 ? len + 1 : len + insert.length + 1;
        ByteBuf copy = directBuffer(n, "a line");
        if (copy == null) {
            for (Output f : outputs) {
                if (f.config().forwards(eventType)) {
                    f.dropUncopied(1);
                }
            }
            return null;
        }
        if (close < 0) {
            return copy.writeBytes(buf, off, len).writeByte('\n');
        }
        return copy.writeBytes(buf, off, close - off).writeBytes(insert)
                .writeBytes(buf, close, off + len - close).writeByte('\n');
    }

    /** The index of the line's closing '}' (only blanks after it), or -1. */
    private static int closingBrace(byte[] buf, int off, int len) {
        for (int i = off + len - 1; i >= off; i--) {
            byte b = buf[i];
            if (b == '}') {
                return i;
            }
            if (b != ' ' && b != '\t' && b != '\r') {
                return -1;
            }
        }
        return -1;
    }

    /**
     * A direct buffer of exactly {@code size} bytes, or null when there is no direct memory for it or
     * the last attempt found none and the backoff's pause still runs; then {@code what} (the lines it
     * was for) is named in a rate-limited warning, and the caller drops them.
     */
    private ByteBuf directBuffer(int size, String what) {
        String failure = "none tried: the last attempt found none";
        if (backoff.mayTry()) {
            try {
                ByteBuf b = alloc.directBuffer(size, size);
                backoff.succeeded();
                return b;
            } catch (OutOfMemoryError noDirectMemory) {
                backoff.failed();
                failure = noDirectMemory.getMessage();
            }
        }
        NO_MEMORY.warn(NO_MEMORY_WARNING, what, failure);
        return null;
    }

    /** Offers a line made by {@link #copy} to every output that forwards the type; takes ownership. */
    public void offerCopy(String eventType, ByteBuf copy) {
        for (Output f : outputs) {
            if (f.config().forwards(eventType)) {
                f.offerRaw(copy.retainedDuplicate());
            }
        }
        copy.release();
    }

    /**
     * Copies the block of lines into one direct buffer shared by the outputs (the transport writes
     * only direct memory: a heap buffer would be copied once more per write, and a failed write of
     * such a copy could not tell how many of its lines the kernel took). Like raw lines, queued
     * aggregates count against each output's buffer-bytes.
     */
    @Override
    public void offerAggregates(byte[] buf, int len, int lines, long deadlineNanos) {
        ByteBuf shared = null;
        for (Output f : outputs) {
            if (!f.config().aggregates()) {
                continue;
            }
            if (shared == null) {
                shared = directBuffer(len, lines + " aggregate lines");
                if (shared == null) {
                    dropUncopiedAggregates(lines);
                    return;
                }
                shared.writeBytes(buf, 0, len);
            }
            f.offerAggregates(shared.retainedDuplicate(), lines, deadlineNanos);
        }
        if (shared != null) {
            shared.release();
        }
    }

    private void dropUncopiedAggregates(int lines) {
        for (Output f : outputs) {
            if (f.config().aggregates()) {
                f.dropUncopied(lines);
            }
        }
    }

    public void start() {
        outputs.forEach(Output::start);
    }
}

package org.eveflow.output;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eveflow.aggregate.AggregateSink;
import org.eveflow.config.Config;
import org.eveflow.log.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * Routes lines to the configured outputs: raw event lines by each output's type filter, aggregate
 * lines to every output that takes aggregates. Raw lines are copied once, in blocks ({@link
 * RawLineBlocks}), shared read-only between outputs. When no direct memory is left for a copy, its lines are dropped and
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
        if (outputs.size() > Config.MAX_OUTPUTS) {
            throw new IllegalArgumentException("at most " + Config.MAX_OUTPUTS + " outputs, got " + outputs.size());
        }
        this.outputs = List.copyOf(outputs);
        this.alloc = alloc;
    }

    public List<Output> all() {
        return outputs;
    }

    /** The outputs that forward the raw line of this event type: bit i for output i; 0 for none. */
    public long forwarding(String eventType) {
        long to = 0;
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).config().forwards(eventType)) {
                to |= 1L << i;
            }
        }
        return to;
    }

    /** An empty set of blocks for one batch's raw lines to forward (see {@link RawLineBlocks}). */
    public RawLineBlocks newBlocks() {
        return new RawLineBlocks(this);
    }

    /**
     * A direct buffer of exactly {@code size} bytes, or null when there is no direct memory for it or
     * the last attempt found none and the backoff's pause still runs; then {@code what} (the lines it
     * was for) is named in a rate-limited warning, and the caller drops them.
     */
    ByteBuf directBuffer(int size, String what) {
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

    /** Offers a block of {@code lines} raw lines to the outputs in {@code to} (bit i: output i); takes ownership. */
    void offerRaw(long to, ByteBuf block, int lines) {
        each(to, o -> o.offerRaw(block.retainedDuplicate(), lines));
        block.release();
    }

    /** Lines for the outputs in {@code to} that could not be copied: offered to each, and dropped. */
    void dropUncopied(long to, int lines) {
        each(to, o -> o.dropUncopied(lines));
    }

    /** Runs {@code action} on each output in {@code to} (bit i: output i), in order. */
    private void each(long to, Consumer<Output> action) {
        for (int i = 0; i < outputs.size(); i++) {
            if ((to & (1L << i)) != 0) {
                action.accept(outputs.get(i));
            }
        }
    }

    /**
     * Copies the block of lines into one direct buffer shared by the outputs (the transport writes
     * only direct memory: a heap buffer would be copied once more per write, and a failed write of
     * such a copy could not tell how many of its lines the kernel took). Like raw lines, queued
     * aggregates count against each output's buffer-bytes.
     */
    @Override
    public void offerAggregates(byte[] buf, int len, int lines, LongSupplier deadline) {
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
            f.offerAggregates(shared.retainedDuplicate(), lines, deadline);
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

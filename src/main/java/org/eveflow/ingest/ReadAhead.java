package org.eveflow.ingest;

import io.netty.channel.Channel;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eveflow.counters.Counters;

/**
 * The bytes read from the input connections that are not yet decoded and applied, for all
 * connections together, bounded by one limit: reading never waits for decoding, aggregation, a
 * flush or an output until this much is buffered. A connection whose read takes the total over the
 * limit pauses reading (counted in {@code input_read_pauses}) until applied batches bring the total
 * down to half the limit; then every paused connection resumes. The total is the gauge
 * {@code input_read_ahead_bytes}. Counts the lines' bytes, not the read buffers holding them.
 * Thread-safe: {@link #add} and {@link #release} are called from the event loops, {@link #pause}
 * from a connection's own event loop.
 */
final class ReadAhead {
    /** The default limit, part of the off-heap bound (docs/operations.md "Memory sizing"). */
    static final long DEFAULT_LIMIT = 16L << 20;

    private final long limit;
    private final Counters counters;
    private final ConcurrentLinkedQueue<Channel> paused = new ConcurrentLinkedQueue<>();

    ReadAhead(long limit, Counters counters) {
        this.limit = limit;
        this.counters = counters;
    }

    /** Counts bytes just read; true if the total is now over the limit (the caller should {@link #pause}). */
    boolean add(long bytes) {
        return counters.inputReadAheadBytes.addAndGet(bytes) > limit;
    }

    /** Stops reading on {@code ch} until the total is down to half the limit. */
    void pause(Channel ch) {
        ch.config().setAutoRead(false);
        paused.add(ch);
        counters.inputReadPauses.increment();
        if (counters.inputReadAheadBytes.get() <= limit / 2) {
            resumeAll(); // the batches in flight were applied between add and pause
        }
    }

    /** Whether {@code ch} waits for the read-ahead to drain. */
    boolean isPaused(Channel ch) {
        return paused.contains(ch);
    }

    /** Counts bytes applied (or dropped with their connection); resumes paused connections at half the limit. */
    void release(long bytes) {
        if (counters.inputReadAheadBytes.addAndGet(-bytes) <= limit / 2 && !paused.isEmpty()) {
            resumeAll();
        }
    }

    private void resumeAll() {
        Channel ch;
        while ((ch = paused.poll()) != null) {
            if (!ch.hasAttr(Handover.LEAVING)) { // its input belongs to the next instance now
                ch.config().setAutoRead(true);
            }
        }
    }
}

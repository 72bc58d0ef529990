package org.eveflow.output;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;
import org.eveflow.config.Config;
import org.eveflow.counters.OutputCounters;

/**
 * One configured output: where lines leave eveflow. Lines arrive as direct buffers of whole lines,
 * each ending in '\n', and the output owns a buffer from the call on. Invariant 3
 * (docs/architecture.md): every line offered ends exactly once as written or dropped (by cause), or is
 * still buffered or in flight, all counted in {@link #counters()}; aggregates outrank raw lines
 * (invariant 7). {@link Outputs} routes to outputs, the flush offers aggregates through it, the daemon
 * starts, reloads and drains them. Implementations are thread-safe: lines come from the event loops,
 * the decode threads and the flush thread.
 */
public interface Output {
    /** Its name, type filter (types, all, aggregates) and its own settings. */
    Config.Output config();

    OutputCounters counters();

    /** Begins delivering (connecting, for a socket); lines offered before are buffered. */
    void start();

    /**
     * A block of {@code lines} raw lines: queued, or dropped newest-first and counted when there is no
     * room for all of them. Never blocks.
     */
    void offerRaw(ByteBuf block, int lines);

    /** A block of {@code lines} aggregate lines: waits for room until the deadline (read while waiting), then drops them. */
    void offerAggregates(ByteBuf block, int lines, LongSupplier deadline);

    /** Lines meant for this output that could not be copied (no direct memory left): offered, and dropped. */
    void dropUncopied(int lines);

    /**
     * Takes the configuration a reload gives this output ({@code Config.Output.reloadedWith}: its new
     * type filter, its other settings unchanged); it applies to the next line offered.
     */
    void reconfigure(Config.Output reloaded);

    /** What to run when the output gives up for good (its reconnect budget is spent). */
    void onFailed(Runnable action);

    /** Whether everything offered so far has been written or dropped (nothing buffered or in flight). */
    boolean idle();

    /**
     * Delivers what is buffered until the deadline, then closes: the rest is counted as dropped at
     * shutdown. Returns the number of lines dropped here.
     */
    long drainAndClose(long deadlineNanos) throws InterruptedException;
}

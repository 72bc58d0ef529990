package org.eveflow.aggregate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.eveflow.counters.Counters;
import org.eveflow.log.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a flush window on schedule (fixed rate: no drift by the flush's own duration), early when the
 * table reaches max-keys, and once more at shutdown. All flushes run on one thread, one at a time;
 * ingest keeps adding to the new window while the old one is encoded and offered to the sink.
 */
public final class FlushTask {
    private static final Logger LOG = LoggerFactory.getLogger(FlushTask.class);
    /**
     * Aggregates go to the sink in blocks of whole lines, at most this many (or the first line past
     * {@link #BLOCK_BYTES}): one buffer, one queue entry and one write per block instead of per line.
     */
    private static final int BLOCK_LINES = 512;
    private static final int BLOCK_BYTES = 64 * 1024;
    /**
     * How long the final flush may run past the grace period: once the deadline passes every offer
     * returns at once (at most 100 ms after it), and encoding the rest of even a 1M-key window takes
     * under a second here, so only a stuck flush reaches this.
     */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final FlowTable table;
    private final AggregateSink sink;
    private final Counters counters;
    private final ScheduledExecutorService executor;
    private final AggregateEncoder encoder;
    private final AtomicBoolean earlyRequested = new AtomicBoolean();
    /** When offers give up waiting for room: never, until the final flush sets the shutdown deadline. */
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private final LongSupplier deadline = () -> deadlineNanos;
    /** Aggregates of the running flush handed to the sink so far, and their flows (flush thread only). */
    private long handedOver;
    private long flowsHandedOver;
    /** Flows in the encoder's block not yet handed over (flush thread only). */
    private long blockFlows;
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> schedule;
    private volatile FlushListener listener = (flowEvents, aggregates) -> { };

    /** Told of every flush that ended, on the flush thread (e.g. FEVER's per-flush stats point). */
    public interface FlushListener {
        void flushed(long flowEvents, long aggregates);
    }

    /** Sets who is told of each flush that ended. */
    public void onFlushed(FlushListener next) {
        this.listener = next;
    }

    public FlushTask(FlowTable table, AggregateSink sink, Counters counters, ScheduledExecutorService executor) {
        this(table, sink, counters, executor, "");
    }

    /** With {@code addedFields} (JSON text: {@code ,"name":"value"...}) appended to every aggregate (FEVER's add-fields). */
    public FlushTask(FlowTable table, AggregateSink sink, Counters counters, ScheduledExecutorService executor,
                     String addedFields) {
        this.encoder = new AggregateEncoder(addedFields);
        this.table = table;
        this.sink = sink;
        this.counters = counters;
        this.executor = executor;
        table.onFull(this::requestEarly);
    }

    public void start(Duration interval) {
        long ms = interval.toMillis();
        schedule = executor.scheduleAtFixedRate(() -> flush(false), ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * A new flush interval (SIGHUP reload): the current window is kept and ends one new interval
     * from now; nothing is flushed or lost by the change.
     */
    public synchronized void reschedule(Duration interval) {
        if (stopped) {
            return;
        }
        if (schedule != null) {
            schedule.cancel(false);
        }
        start(interval);
    }

    private void requestEarly() {
        if (!stopped && earlyRequested.compareAndSet(false, true)) {
            executor.execute(() -> {
                earlyRequested.set(false);
                counters.earlyFlushes.increment();
                flush(true);
            });
        }
    }

    /**
     * The final flush: stops the schedule, sets the deadline at which every offer to the sink gives
     * up (also the offers of a periodic flush already waiting for room), then flushes what is left
     * after that flush. Returns when both have finished (aggregates they could not hand over in time
     * are dropped and counted by the outputs), so the counters read afterwards are final; true if
     * that was before the deadline.
     */
    public boolean finalFlush(long deadline) throws InterruptedException {
        deadlineNanos = deadline;
        synchronized (this) { // not at the same time as a reschedule
            stopped = true;
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
        Future<?> f = executor.submit(() -> flush(false));
        try {
            f.get(Math.max(1, deadline - System.nanoTime()) + GIVE_UP_NANOS, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) { // flush never throws
            LOG.error("final flush failed", e.getCause());
        } catch (TimeoutException e) {
            LOG.error("the final flush did not finish within {} s after the grace period; the final counters may "
                    + "miss the aggregates it still holds", GIVE_UP_NANOS / 1_000_000_000L);
        }
        return System.nanoTime() - deadline < 0;
    }

    /** Hands the encoder's block of {@code lines} aggregate lines to the sink and empties it. */
    private void offer(int lines) {
        // counted before the outputs count them offered: a stats sample taken meanwhile never shows an
        // output offered more aggregates than were emitted
        counters.aggregatesEmitted.add(lines);
        counters.flowsEmitted.add(blockFlows);
        try {
            sink.offerAggregates(encoder.buffer(), encoder.size(), lines, deadline);
        } catch (RuntimeException | Error e) { // not emitted after all: the flush counts them lost
            counters.aggregatesEmitted.add(-lines);
            counters.flowsEmitted.add(-blockFlows);
            throw e;
        }
        handedOver += lines;
        flowsHandedOver += blockFlows;
        blockFlows = 0;
        encoder.reset();
    }

    /**
     * Swaps the table's windows and hands their aggregates to the sink. Never throws: a failure (a bug,
     * or no direct memory left) is logged and the aggregates not handed over are counted in
     * aggregates_lost, so the periodic schedule, which an escaping exception would silently cancel,
     * goes on; any other Error ends the daemon ({@link Fatal}).
     */
    void flush(boolean early) {
        long start = System.nanoTime();
        long aggregates = 0;
        long raw = 0;
        handedOver = 0;
        flowsHandedOver = 0;
        blockFlows = 0;
        table.flushBusy(true);
        try {
            List<FlowWindow> windows = table.swap(stopped); // the final flush needs no full-size new window
            for (FlowWindow w : windows) {
                aggregates += w.size();
                for (int e = 0; e < w.size(); e++) {
                    raw += w.flowCount(e);
                }
            }
            // FEVER's per-flush line, with its keys (log monitors match on them); an empty flush only at
            // debug; "early" (a full table's flush, which FEVER does not have) only when it is one
            var line = (raw == 0 ? LOG.atDebug() : LOG.atInfo()).addKeyValue("agg_flows", aggregates)
                    .addKeyValue("in_flows", raw);
            (early ? line.addKeyValue("early", true) : line).log("flushing events");
            int block = 0;
            encoder.reset();
            for (FlowWindow w : windows) {
                for (int e = 0; e < w.size(); e++) {
                    encoder.append(w, e);
                    blockFlows += w.flowCount(e);
                    if (++block == BLOCK_LINES || encoder.size() >= BLOCK_BYTES) {
                        offer(block);
                        block = 0;
                    }
                }
                table.recycle(w);
            }
            if (block > 0) {
                offer(block);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            counters.flushes.increment();
            counters.lastFlushRawCount.set(raw);
            counters.lastFlushAggregateCount.set(aggregates);
            counters.lastFlushMillis.set(ms);
            listener.flushed(raw, aggregates);
            if (aggregates > 0) {
                LOG.debug("flushed {} aggregates of {} flows in {} ms{}", aggregates, raw, ms, early ? " (early)" : "");
            }
        } catch (RuntimeException | Error e) {
            Fatal.ifFatal("the flush", e);
            long lost = aggregates - handedOver;
            counters.aggregatesLost.add(lost);
            counters.flowsUnflushed.add(raw - flowsHandedOver);
            LOG.error("flush failed: {} of its {} aggregates were not handed to the outputs (counted in aggregates_lost)",
                    lost, aggregates, e);
        } finally {
            table.flushBusy(false);
        }
    }
}

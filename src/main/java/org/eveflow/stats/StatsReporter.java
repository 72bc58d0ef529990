package org.eveflow.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eveflow.counters.Counters;
import org.eveflow.counters.OutputCounters;
import org.eveflow.log.Fatal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a {@link Sample} of the counters (plus JVM health) every stats interval, on its own scheduled
 * thread, and hands it to the sink; once more at shutdown. Reports are serialized and their times
 * strictly increase (a store keyed by series and time, as InfluxDB, would merge two samples of one
 * millisecond: the last report at shutdown can follow a scheduled one within it). Start/stop from one
 * thread.
 */
public final class StatsReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StatsReporter.class);

    private final Counters counters;
    private volatile StatsSink sink;
    private volatile ScheduledFuture<?> task;
    private long lastSampleMillis = Long.MIN_VALUE; // guarded by this
    private final List<Consumer<Sample>> listeners =
            new CopyOnWriteArrayList<>();

    public StatsReporter(Counters counters, StatsSink sink) {
        this.counters = counters;
        this.sink = sink;
    }

    public void start(ScheduledExecutorService executor, long intervalMillis) {
        task = executor.scheduleAtFixedRate(this::report, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** A new interval (SIGHUP reload): the schedule restarts with it, the next report one interval from now. */
    public synchronized void reschedule(ScheduledExecutorService executor, long intervalMillis) {
        if (task != null) {
            task.cancel(false);
        }
        start(executor, intervalMillis);
    }

    /**
     * A new sink (SIGHUP reload of the InfluxDB target, measurement, host or tags): later samples go
     * to it; the old one gets until {@code closeDeadlineNanos} to write what it holds (the rest is
     * counted dropped by it, as at shutdown). Returns the old sink, already closed.
     */
    public StatsSink replaceSink(StatsSink next, long closeDeadlineNanos) {
        StatsSink old;
        synchronized (this) {
            old = sink;
            sink = next;
        }
        old.close(closeDeadlineNanos);
        return old;
    }

    /** A flush ended (flush thread): the sink may write the flush's values once (FEVER's format does). */
    public void flushed(long flowEvents, long aggregates) {
        try {
            sink.flushed(flowEvents, aggregates);
        } catch (RuntimeException e) {
            LOG.error("stats of a flush failed", e); // never let the flush fail for stats
        }
    }

    /** Points from a Suricata stats record (a decode thread): to the current sink, which buffers them. */
    public void suricata(long epochMillis, List<SuricataStats.Point> points) {
        sink.suricata(epochMillis, points);
    }

    /** Also hands every sample to {@code listener} (on the stats thread), e.g. for systemd's STATUS=. */
    public void addListener(Consumer<Sample> listener) {
        listeners.add(listener);
    }

    private Sample sample() {
        long now = Math.max(System.currentTimeMillis(), lastSampleMillis + 1);
        lastSampleMillis = now;
        return sample(counters, now);
    }

    /** The counters now, with the JVM's health, as a stats interval takes them (also for a scrape). */
    static Sample sample(Counters counters, long epochMillis) {
        Map<String, Long> global = counters.snapshot();
        JvmStats.addTo(global);
        Map<String, Map<String, Long>> outputs = new LinkedHashMap<>();
        for (OutputCounters o : counters.outputs) {
            outputs.put(o.name, o.snapshot());
        }
        return new Sample(epochMillis, global, outputs);
    }

    public synchronized void report() {
        try {
            Sample s = sample();
            sink.publish(s);
            for (Consumer<Sample> l : listeners) {
                l.accept(s);
            }
        } catch (RuntimeException | Error e) {
            Fatal.ifFatal("the stats report", e);
            LOG.error("stats report failed", e); // never let the schedule die
        }
    }

    /** Stops the schedule and closes the sink without a last report (the daemon did not start). */
    public void abandon() {
        if (task != null) {
            task.cancel(false);
        }
        sink.close(System.nanoTime());
    }

    /** Stops the schedule, reports once more and lets the sink write until the deadline. */
    public void stop(long deadlineNanos) {
        if (task != null) {
            task.cancel(false);
        }
        report();
        sink.close(deadlineNanos);
    }
}

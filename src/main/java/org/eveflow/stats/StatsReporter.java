package org.eveflow.stats;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the counters every stats interval; without InfluxDB (the embedded default) the sink is
 * the log, one line per interval plus one per output. Runs on its own scheduled thread.
 */
public final class StatsReporter {
    private static final Logger LOG = LoggerFactory.getLogger("org.eveflow.stats");

    private final Counters counters;
    private ScheduledFuture<?> task;

    public StatsReporter(Counters counters) {
        this.counters = counters;
    }

    public void start(ScheduledExecutorService executor, long intervalMillis) {
        task = executor.scheduleAtFixedRate(this::report, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    public void report() {
        LOG.info("stats: {}", counters.summary());
        for (OutputCounters o : counters.outputs) {
            LOG.info("stats: {}", o.summary());
        }
    }
}

package org.eveflow.daemon;

import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.eveflow.stats.Sample;

/**
 * The {@code STATUS=} line {@code systemctl status} shows while running: rates between two stats
 * samples and the loss counters so far. Pure, thread-safe.
 */
final class StatusLine {
    private StatusLine() {
    }

    /** The line for the interval from {@code prev} to {@code now}. */
    static String between(Sample prev, Sample now) {
        double secs = Math.max(0.001, (now.epochMillis() - prev.epochMillis()) / 1000.0);
        Map<String, Long> g = now.global();
        ToLongFunction<String> rate = k -> Math.round(
                (g.getOrDefault(k, 0L) - prev.global().getOrDefault(k, 0L)) / secs);
        return String.format(Locale.ROOT,
                "STATUS=%d lines/s, %d flows/s, %d aggregates/s; %d keys; dropped %d, malformed %d, refused flows %d",
                rate.applyAsLong("lines_received"), rate.applyAsLong("flows_aggregated"),
                rate.applyAsLong("aggregates_emitted"), g.getOrDefault("keys_in_table", 0L),
                g.getOrDefault("outputs_dropped", 0L), g.getOrDefault("lines_malformed", 0L),
                g.getOrDefault("flows_refused", 0L));
    }
}

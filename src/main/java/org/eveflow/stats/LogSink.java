package org.eveflow.stats;

import org.eveflow.counters.Counters;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default without InfluxDB: one log line per stats interval, with the main metrics as
 * name=value, every loss or refusal counter that is not 0, and each output's main counters (and its
 * other counters that are not 0) after {@code output=NAME}; at debug level one more line with every
 * global metric. Stateless, thread-safe.
 */
public final class LogSink implements StatsSink {
    private static final Logger LOG = LoggerFactory.getLogger("org.eveflow.stats");
    private static final List<String> SUMMARY = List.of("lines_received", "lines_decoded", "lines_malformed",
            "lines_oversized", "flows_aggregated", "flows_refused", "aggregates_emitted", "events_forwarded",
            "outputs_dropped", "outputs_buffer_length", "connections_active");
    /**
     * Counters of something lost, refused or held back (reading paused: the writer may drop), or read the
     * slow way (lines_judged): in the info line whenever they are not 0.
     */
    private static final List<String> LOSSES = List.of("flows_lost", "flows_saturated", "src_ports_unlisted",
            "aggregates_lost", "flows_unflushed", "log_failures", "connections_refused", "connections_refused_uid",
            "connections_evicted_idle", "connections_adopted_after_crash",
            "input_read_pauses", "stats_points_dropped", "lines_judged");
    /** An output's counters always in the line: what it was given, wrote, dropped and holds, and its state. */
    private static final List<String> OUTPUT_SUMMARY = List.of("output_offered", "output_written", "output_dropped",
            "output_buffer_length", "output_connected", "output_disabled");

    @Override
    public void publish(Sample sample) {
        StringBuilder b = new StringBuilder();
        for (String k : SUMMARY) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(k).append('=').append(sample.global().get(k));
        }
        for (String k : LOSSES) {
            Long v = sample.global().get(k);
            if (v != null && v != 0) {
                b.append(' ').append(k).append('=').append(v);
            }
        }
        for (Map.Entry<String, Map<String, Long>> o : sample.outputs().entrySet()) {
            b.append(" output=").append(o.getKey());
            for (String k : OUTPUT_SUMMARY) {
                b.append(' ').append(k).append('=').append(o.getValue().get(k));
            }
            o.getValue().forEach((k, v) -> {
                if (!OUTPUT_SUMMARY.contains(k) && v != 0) {
                    b.append(' ').append(k).append('=').append(v);
                }
            });
        }
        LOG.info("stats: {}", b);
        if (LOG.isDebugEnabled()) {
            StringBuilder all = new StringBuilder();
            sample.global().forEach((k, v) -> all.append(all.length() > 0 ? " " : "").append(k).append('=').append(v));
            LOG.debug("stats all: {}", all);
        }
    }

    @Override
    public void close(long deadlineNanos) {
        // nothing pending
    }
}

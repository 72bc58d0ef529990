package org.eveflow.stats;

import io.prometheus.metrics.model.registry.MultiCollector;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * eveflow's counters as Prometheus series, named by Prometheus' conventions from the names of the
 * InfluxDB measurement (docs/metrics.md lists both): {@code eveflow_} and the name, {@code _total}
 * for a counter, seconds for milliseconds, a few renamed where the conventions say so ({@link #RENAMED});
 * an output's series carry {@code output}, a drop's cause
 * {@code cause}, an event type's count {@code event_type}. Sums that the labelled series already give
 * ({@code outputs_dropped}, {@code outputs_buffer_length}, {@code output_dropped}) are left out. Read
 * from the same snapshot a stats interval takes, at scrape time only: nothing is done per event.
 * Stateless, thread-safe.
 */
final class EveflowPrometheus {
    /** Global values that go up and down (gauges, not counters). */
    private static final Set<String> GAUGES = Set.of("flow_aggregate_raw_count", "flow_aggregate_count",
            "flush_duration_ms", "keys_in_table", "connections_active", "input_read_ahead_bytes",
            "stats_points_buffered", "jvm_heap_used_bytes", "jvm_direct_used_bytes");
    /** Names Prometheus' conventions say otherwise (a gauge ends neither in _count nor in a unit abbreviation). */
    private static final Map<String, String> RENAMED = Map.of(
            "flow_aggregate_raw_count", "eveflow_last_flush_flows",
            "flow_aggregate_count", "eveflow_last_flush_aggregates",
            "flush_duration_ms", "eveflow_last_flush_duration_seconds",
            "jvm_gc_count", "eveflow_jvm_gc_collections",
            "connections_total", "eveflow_connections_accepted",
            "jvm_gc_time_ms", "eveflow_jvm_gc_time_seconds");
    /** Per-output values that go up and down. */
    private static final Set<String> OUTPUT_GAUGES = Set.of("output_buffer_length", "output_buffer_bytes",
            "output_connected", "output_disabled");
    /** Sums of labelled series: sum() gives them. */
    private static final Set<String> SUMS = Set.of("outputs_dropped", "outputs_buffer_length", "output_dropped");
    private static final String DROPPED = "output_dropped_";
    private static final String EVENTS = "events_";

    private EveflowPrometheus() {
    }

    /** The Prometheus name (without {@code _total}) and scale of one InfluxDB field, or null when left out. */
    static String name(String field) {
        if (SUMS.contains(field)) {
            return null;
        }
        if (field.startsWith(EVENTS)) {
            return "eveflow_events";
        }
        if (field.startsWith(DROPPED)) {
            return "eveflow_output_dropped";
        }
        return RENAMED.getOrDefault(field, "eveflow_" + field);
    }

    /** Whether an InfluxDB field (global or an output's) is served as a gauge. */
    static boolean isGauge(String field) {
        return GAUGES.contains(field) || OUTPUT_GAUGES.contains(field);
    }

    static void addTo(PrometheusFamilies out, Sample s) {
        for (Map.Entry<String, Long> e : s.global().entrySet()) {
            String field = e.getKey();
            String name = name(field);
            if (name == null) {
                continue;
            }
            double v = field.endsWith("_ms") ? e.getValue() / 1000.0 : e.getValue();
            String help = "eveflow's " + field + " (docs/metrics.md)";
            if (field.startsWith(EVENTS)) {
                out.counter(name, "decoded events by event_type (docs/metrics.md: events_<type>)", v,
                        "event_type", field.substring(EVENTS.length()));
            } else if (GAUGES.contains(field)) {
                out.gauge(name, help, v);
            } else {
                out.counter(name, help, v);
            }
        }
        for (Map.Entry<String, Map<String, Long>> o : s.outputs().entrySet()) {
            for (Map.Entry<String, Long> e : o.getValue().entrySet()) {
                String field = e.getKey();
                String name = name(field);
                if (name == null) {
                    continue;
                }
                if (field.startsWith(DROPPED)) {
                    out.counter(name, "lines an output dropped, by cause (docs/metrics.md: output_dropped_<cause>)",
                            e.getValue(), "output", o.getKey(), "cause", field.substring(DROPPED.length()));
                } else if (OUTPUT_GAUGES.contains(field)) {
                    out.gauge(name, "eveflow's " + field + " (docs/metrics.md)", e.getValue(), "output", o.getKey());
                } else {
                    out.counter(name, "eveflow's " + field + " (docs/metrics.md)", e.getValue(), "output", o.getKey());
                }
            }
        }
    }

    /** The collector of a registry: a fresh sample per scrape. */
    static MultiCollector collector(Supplier<Sample> samples,
            SuricataPrometheus suricata) {
        return () -> {
            PrometheusFamilies f = new PrometheusFamilies();
            addTo(f, samples.get());
            suricata.addTo(f);
            return f.build();
        };
    }
}

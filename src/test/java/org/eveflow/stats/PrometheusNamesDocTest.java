package org.eveflow.stats;

import org.eveflow.counters.Counters;
import org.eveflow.counters.EventTypeCounters;
import org.eveflow.counters.OutputCounters;
import java.util.Map;
import java.util.TreeMap;
import org.eveflow.testing.GeneratedDocTable;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md's table of InfluxDB fields and their Prometheus names is what the code serves: the
 * table between its markers is generated from {@link EveflowPrometheus#name}, so a counter added to
 * either shows up here (the expected table is written to target/prometheus-names.md to copy in).
 */
class PrometheusNamesDocTest {
    static String table() {
        Counters counters = new Counters();
        counters.events.addAll(new long[EventTypeCounters.SLOTS], new long[EventTypeCounters.SLOTS]);
        Sample s = StatsReporter.sample(counters, 0);
        Map<String, String> rows = new TreeMap<>();
        s.global().keySet().forEach(f -> rows.put(f.startsWith("events_") ? "events_<type>" : f, row(f, "")));
        new Counters().newOutput("x").snapshot().keySet().forEach(f ->
                rows.put(f.startsWith("output_dropped_") ? "output_dropped_<cause>" : f, row(f, "output")));
        rows.put("events_<type>", "| `events_<type>` | `eveflow_events_total{event_type}` |\n");
        rows.put("output_dropped_<cause>", "| `output_dropped_<cause>` | `eveflow_output_dropped_total{output,cause}` |\n");
        StringBuilder b = new StringBuilder("| InfluxDB field | Prometheus series |\n|---|---|\n");
        rows.values().forEach(b::append);
        return b.toString();
    }

    private static String row(String field, String label) {
        String name = EveflowPrometheus.name(field);
        if (name == null) {
            return "| `" + field + "` | (left out: `sum()` of the labelled series gives it) |\n";
        }
        boolean gauge = EveflowPrometheus.isGauge(field);
        return "| `" + field + "` | `" + name + (gauge ? "" : "_total") + (label.isEmpty() ? "" : "{" + label + "}")
                + "`" + (gauge ? " (gauge)" : "") + " |\n";
    }

    @Test
    void theDocsTableIsTheCodes() throws Exception {
        GeneratedDocTable.assertCurrent("docs/metrics.md", "prometheus-names", "PrometheusNamesDocTest", table());
    }
}

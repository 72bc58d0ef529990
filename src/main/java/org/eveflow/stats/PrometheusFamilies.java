package org.eveflow.stats;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of one scrape, gathered by metric name (a family holds every label set of one name, as
 * the exposition format wants each name once), then built as Prometheus snapshots. One per scrape;
 * not thread-safe.
 */
final class PrometheusFamilies {
    private record Family(boolean counter, String help, List<Object[]> points) {
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    /** A counter's value (its name without {@code _total}; the format adds it) under {@code labels}. */
    void counter(String name, String help, double value, String... labels) {
        add(name, true, help, value, labels);
    }

    void gauge(String name, String help, double value, String... labels) {
        add(name, false, help, value, labels);
    }

    private void add(String name, boolean counter, String help, double value, String[] labels) {
        Family f = families.computeIfAbsent(name, n -> new Family(counter, help, new ArrayList<>()));
        if (f.counter() == counter) { // a name is one type; a clash keeps the first
            f.points().add(new Object[] {value, labels});
        }
    }

    MetricSnapshots build() {
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        for (Map.Entry<String, Family> e : families.entrySet()) {
            Family f = e.getValue();
            if (f.counter()) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(e.getKey()).help(f.help());
                for (Object[] p : f.points()) {
                    b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value((Double) p[0])
                            .labels(Labels.of((String[]) p[1])).build());
                }
                out.add(b.build());
            } else {
                GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(e.getKey()).help(f.help());
                for (Object[] p : f.points()) {
                    b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value((Double) p[0])
                            .labels(Labels.of((String[]) p[1])).build());
                }
                out.add(b.build());
            }
        }
        return new MetricSnapshots(out);
    }
}

package org.eveflow.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eveflow.counters.Counters;

/**
 * Suricata's stats as Prometheus series, from the latest stats record (each record replaces the last
 * whole: a thread or a counter Suricata no longer writes disappears from the next scrape, as
 * Prometheus expects of a series that ends). {@code suricata_} and the record's nested names joined
 * with '_' (any other character becomes '_', "per_sec" is written out), label {@code thread} as the InfluxDB points tag them
 * ({@code total} for the totals, none for {@code Global}); a counter gets {@code _total}, values that
 * go down are gauges (memory use and caps, rates, uptime, active and spare counts). At most
 * {@code maxSeries} series: the rest are left out of each record and counted in
 * {@code prometheus_series_dropped}. Written by the decode threads (one record at a time), read by
 * the scrape: a volatile swap, neither waits.
 */
final class SuricataPrometheus {
    /** Suricata's values that are levels, not counts: these go down as well as up. */
    private static final Pattern GAUGE = Pattern.compile(
            ".*(memuse|memcap|per_sec).*|(.*_)?(uptime|spare|active|active_sessions)");
    private static final Pattern NOT_NAME = Pattern.compile("[^a-zA-Z0-9_]");

    private final int maxSeries;
    private final Counters counters;
    private volatile List<SuricataStats.Point> latest = List.of();

    SuricataPrometheus(int maxSeries, Counters counters) {
        this.maxSeries = maxSeries;
        this.counters = counters;
    }

    /** The series of one stats record, kept until the next one. */
    void offer(List<SuricataStats.Point> points) {
        List<SuricataStats.Point> kept = new ArrayList<>(points.size());
        int room = maxSeries;
        long dropped = 0;
        for (SuricataStats.Point p : points) {
            if (room >= p.fields().size()) {
                kept.add(p);
                room -= p.fields().size();
            } else {
                Map<String, Double> part = new LinkedHashMap<>();
                for (Map.Entry<String, Double> f : p.fields().entrySet()) {
                    if (room > 0) {
                        part.put(f.getKey(), f.getValue());
                        room--;
                    } else {
                        dropped++;
                    }
                }
                if (!part.isEmpty()) {
                    kept.add(new SuricataStats.Point(p.thread(), part));
                }
            }
        }
        counters.prometheusSeriesDropped.add(dropped);
        latest = List.copyOf(kept);
    }

    void addTo(PrometheusFamilies out) {
        for (SuricataStats.Point p : latest) {
            String[] labels = p.thread() == null ? new String[0] : new String[] {"thread", p.thread()};
            for (Map.Entry<String, Double> f : p.fields().entrySet()) {
                String name = "suricata_" + NOT_NAME.matcher(f.getKey()).replaceAll("_").replace("per_sec", "per_second");
                if (GAUGE.matcher(f.getKey()).matches()) {
                    out.gauge(reservedSuffix(name) ? name + "_value" : name, "Suricata's " + f.getKey(), f.getValue(), labels);
                } else {
                    String counter = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
                    out.counter(reservedSuffix(counter) ? counter + "_value" : counter, "Suricata's " + f.getKey(),
                            f.getValue(), labels);
                }
            }
        }
    }

    /** Names the exposition format keeps for its own series (a counter's _total, a histogram's _bucket, ...). */
    private static boolean reservedSuffix(String name) {
        return name.endsWith("_total") || name.endsWith("_created") || name.endsWith("_bucket") || name.endsWith("_info");
    }
}

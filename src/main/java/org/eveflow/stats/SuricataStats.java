package org.eveflow.stats;

import org.eveflow.counters.Counters;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eveflow.config.Config;
import org.eveflow.log.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * Suricata's stats records (event_type "stats") as points shaped as Telegraf's {@code inputs.suricata}
 * (metric version 1) writes them, so dashboards built for its data work unchanged: the members of
 * {@code stats} other than {@code threads} are one point tagged {@code thread=total}; each member of
 * {@code stats.threads} is a point tagged with its name ({@code Global} untagged); nested names are
 * joined with the delimiter ({@code capture.kernel_drops} → {@code capture_kernel_drops}); an array's
 * elements are read under the array's name (the last value wins); numbers are floats. Unlike
 * Telegraf, only finite numbers are fields: a string, boolean or null is skipped and counted
 * ({@code suricata_stats_values_skipped}), and fields beyond {@code max-fields} per point are
 * dropped and counted ({@code suricata_stats_fields_dropped}). A point without fields is not written.
 * A record whose {@code stats} is not an object is counted ({@code suricata_stats_malformed}) with a
 * rate-limited warning. Points go to the current sink through the {@link StatsReporter} (InfluxDB's
 * bounded, counted buffer) and, with the Prometheus endpoint on, become its latest record
 * ({@link SuricataPrometheus}); reading never blocks. Thread-safe: called from the decode threads.
 */
public final class SuricataStats {
    private static final RateLimitedLog WARNINGS = new RateLimitedLog(LoggerFactory.getLogger(SuricataStats.class),
            10_000);
    private static final JsonFactory JSON = new JsonFactory();
    static final String TOTAL = "total";
    static final String GLOBAL = "Global";

    private final Counters counters;
    private final StatsReporter reporter;
    private volatile Config.Stats config;
    /** The Prometheus endpoint's latest record, when it is on. */
    private volatile SuricataPrometheus prometheus;

    /** One point: its {@code thread} tag (null: none) and its fields in the record's order. */
    public record Point(String thread, Map<String, Double> fields) {
    }

    public SuricataStats(Config.Stats config, Counters counters, StatsReporter reporter) {
        this.config = config;
        this.counters = counters;
        this.reporter = reporter;
    }

    /** Each record's points also become the Prometheus endpoint's latest (null: off). */
    void serveTo(SuricataPrometheus latest) {
        prometheus = latest;
    }

    /** A reload's stats configuration applies to the next record. */
    public void reconfigure(Config.Stats next) {
        config = next;
    }

    /** Whether stats records are read at all (switched on, InfluxDB configured); for tests. */
    boolean enabled() {
        return config.suricataPoints();
    }

    /**
     * Reads the stats record {@code b[off, off + len)} (a line the parser accepted, event_type "stats")
     * and hands its points to the sink, stamped now.
     */
    public void offer(byte[] b, int off, int len) {
        Config.Stats c = config;
        if (!c.suricataPoints()) {
            return;
        }
        try {
            List<Point> points = read(b, off, len, c.suricata());
            if (points != null) {
                counters.suricataStatsRecords.increment();
                if (!points.isEmpty() && c.influx() != null) {
                    reporter.suricata(System.currentTimeMillis(), points);
                }
                SuricataPrometheus latest = prometheus;
                if (latest != null) {
                    latest.offer(points);
                }
            }
        } catch (RuntimeException bug) {
            // never let the stats cost the batch its flows and forwarded lines
            malformed("unexpected error reading it: " + bug);
        }
    }

    /** The record's points, or null (counted, warned) when its {@code stats} is not an object. */
    List<Point> read(byte[] b, int off, int len, Config.SuricataStats c) {
        try (JsonParser p = JSON.createParser(b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return malformed("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("stats")) {
                    p.skipChildren();
                    continue;
                }
                if (value != JsonToken.START_OBJECT) {
                    return malformed("\"stats\" is not an object");
                }
                return stats(p, c);
            }
            return malformed("no \"stats\" member");
        } catch (JsonProcessingException e) {
            return malformed("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return malformed(String.valueOf(e.getMessage()));
        }
    }

    /** The members of {@code stats} (the parser at its START_OBJECT), as Telegraf reads them. */
    private List<Point> stats(JsonParser p, Config.SuricataStats c) throws IOException {
        Fields total = new Fields(c.maxFields());
        Map<String, Fields> threads = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (!name.equals("threads")) {
                flatten(p, value, name, total, c.delimiter());
            } else if (value != JsonToken.START_OBJECT) {
                skip(p, value);
            } else {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String thread = p.currentName();
                    JsonToken t = p.nextToken();
                    if (t != JsonToken.START_OBJECT) {
                        skip(p, t);
                        continue;
                    }
                    Fields f = threads.computeIfAbsent(thread, k -> new Fields(c.maxFields()));
                    flatten(p, t, "", f, c.delimiter());
                }
            }
        }
        threads.putIfAbsent(TOTAL, total); // Telegraf: a thread called "total" replaces the totals
        List<Point> points = new ArrayList<>(threads.size());
        for (Map.Entry<String, Fields> t : threads.entrySet()) {
            Fields f = t.getValue();
            counters.suricataStatsFieldsDropped.add(f.dropped);
            if (!f.values.isEmpty()) {
                points.add(new Point(t.getKey().equals(GLOBAL) ? null : t.getKey(), f.values));
            }
        }
        return points;
    }

    /** The value at the parser's {@code token} under {@code name} ("" at a thread's root). */
    private void flatten(JsonParser p, JsonToken token, String name, Fields into, String delimiter) throws IOException {
        switch (token) {
            case START_OBJECT:
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String member = p.currentName();
                    JsonToken value = p.nextToken();
                    flatten(p, value, name.isEmpty() ? member : name + delimiter + member, into, delimiter);
                }
                break;
            case START_ARRAY:
                for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    flatten(p, t, name, into, delimiter);
                }
                break;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                double v = p.getDoubleValue();
                if (Double.isFinite(v) && !name.isEmpty()) {
                    into.put(name, v);
                } else {
                    counters.suricataStatsValuesSkipped.increment();
                }
                break;
            default:
                skip(p, token);
        }
    }

    /** A value that is not read: counted skipped. */
    private void skip(JsonParser p, JsonToken token) throws IOException {
        counters.suricataStatsValuesSkipped.increment();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            p.skipChildren();
        }
    }

    private List<Point> malformed(String why) {
        counters.suricataStatsMalformed.increment();
        WARNINGS.warn("Suricata stats record skipped: {} (counted in suricata_stats_malformed)", why);
        return null;
    }

    /** A point's fields, at most {@code max}; a repeated name keeps its place and takes the last value. */
    private static final class Fields {
        final Map<String, Double> values = new LinkedHashMap<>();
        final int max;
        long dropped;

        Fields(int max) {
            this.max = max;
        }

        void put(String name, double v) {
            if (values.size() < max || values.containsKey(name)) {
                values.put(name, v);
            } else {
                dropped++;
            }
        }
    }
}

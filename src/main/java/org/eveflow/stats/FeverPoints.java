package org.eveflow.stats;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * eveflow's counters as the InfluxDB points FEVER 1.3.7 writes under its toolname, so that a database
 * and dashboards fed by FEVER keep working: every field is a float (FEVER's encoder writes integers
 * without InfluxDB's {@code i} suffix), tags are {@code host} (plus eveflow's static tags) and, for an
 * output, {@code output}. Per stats interval: {@code dispatch_calls_per_sec} (decoded events per
 * second), {@code input_queue_dropped} (always 0: eveflow never drops input), the event profiler's
 * cumulative {@code count.<type>} and {@code size.<type>} (line bytes), and per output
 * {@code output_received_per_sec}, {@code output_dropped} (cumulative) and
 * {@code output_buffer_length}. Every 30 s (FEVER's flow profiler period, at the first stats interval
 * after it): per app_proto (tag {@code proto}) the flow events' {@code flowpktstoserver},
 * {@code flowpktstoclient}, {@code flowbytestoserver}, {@code flowbytestoclient} of that period.
 * Per flush, once: {@code flow_aggregate_raw_count} and
 * {@code flow_aggregate_count}. Rates are taken between two samples. Used by the stats thread and the
 * flush thread through {@link InfluxSink}, which serialises them.
 */
final class FeverPoints {
    private final String measurement;
    private final String host;
    private final Map<String, String> tags;
    private final Counters counters;
    private long lastMillis = -1;
    private long lastDecoded;
    private final Map<String, Long> lastOffered = new HashMap<>();
    /** FEVER's flow profiler submits every 30 s. */
    static final long FLOW_PROFILE_MILLIS = 30_000;
    private long lastProfileMillis = -1;
    private Map<String, long[]> lastProfile = Map.of();

    FeverPoints(String measurement, String host, Map<String, String> tags, Counters counters) {
        this.measurement = measurement;
        this.host = host;
        this.tags = tags;
        this.counters = counters;
    }

    private Point point(long epochMillis) {
        return Point.measurement(measurement).time(epochMillis, WritePrecision.MS).addTag("host", host).addTags(tags);
    }

    /** The points of one stats interval. */
    synchronized List<Point> ofSample(Sample s) {
        double seconds = lastMillis < 0 ? 0 : Math.max(1, s.epochMillis() - lastMillis) / 1000.0;
        List<Point> points = new ArrayList<>();
        long decoded = s.global().getOrDefault("lines_decoded", 0L);
        points.add(point(s.epochMillis())
                .addField("dispatch_calls_per_sec", seconds == 0 ? 0.0 : (decoded - lastDecoded) / seconds)
                .addField("input_queue_dropped", 0.0));
        lastDecoded = decoded;
        Map<String, Long> counts = counters.events.snapshot();
        Map<String, Long> sizes = counters.events.bytesSnapshot();
        if (!counts.isEmpty()) {
            Point profile = point(s.epochMillis());
            sizes.forEach((type, bytes) -> profile.addField("size." + type, (double) bytes));
            counts.forEach((type, n) -> profile.addField("count." + type, (double) n));
            points.add(profile);
        }
        for (Map.Entry<String, Map<String, Long>> o : s.outputs().entrySet()) {
            Map<String, Long> m = o.getValue();
            long offered = m.getOrDefault("output_offered", 0L);
            Long before = lastOffered.put(o.getKey(), offered);
            double perSec = seconds == 0 || before == null ? 0.0 : (offered - before) / seconds;
            points.add(point(s.epochMillis()).addTag("output", o.getKey())
                    .addField("output_received_per_sec", perSec)
                    .addField("output_dropped", (double) m.getOrDefault("output_dropped", 0L))
                    .addField("output_buffer_length", (double) m.getOrDefault("output_buffer_length", 0L)));
        }
        if (lastProfileMillis < 0) {
            lastProfileMillis = s.epochMillis();
            lastProfile = counters.flowsByAppProto.snapshot();
        } else if (s.epochMillis() - lastProfileMillis >= FLOW_PROFILE_MILLIS) {
            Map<String, long[]> now = counters.flowsByAppProto.snapshot();
            for (Map.Entry<String, long[]> p : now.entrySet()) {
                long[] v = p.getValue();
                long[] before = lastProfile.getOrDefault(p.getKey(), new long[AppProtoCounters.VALUES]);
                points.add(point(s.epochMillis()).addTag("proto", p.getKey())
                        .addField("flowbytestoclient", (double) (v[3] - before[3]))
                        .addField("flowbytestoserver", (double) (v[2] - before[2]))
                        .addField("flowpktstoclient", (double) (v[1] - before[1]))
                        .addField("flowpktstoserver", (double) (v[0] - before[0])));
            }
            lastProfile = now;
            lastProfileMillis = s.epochMillis();
        }
        lastMillis = s.epochMillis();
        return points;
    }

    /** The point of one flush: flow events and aggregates in it. */
    Point ofFlush(long epochMillis, long flowEvents, long aggregates) {
        return point(epochMillis).addField("flow_aggregate_raw_count", (double) flowEvents)
                .addField("flow_aggregate_count", (double) aggregates);
    }
}

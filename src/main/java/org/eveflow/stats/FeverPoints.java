package org.eveflow.stats;

import org.eveflow.counters.AppProtoCounters;
import org.eveflow.counters.Counters;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * eveflow's counters as the InfluxDB points FEVER 1.3.7 writes under its toolname, so that a database
 * and dashboards fed by FEVER keep working: every field is a float (FEVER's encoder writes integers
 * without InfluxDB's {@code i} suffix), tags are {@code host} (plus eveflow's static tags) and, for an
 * output, {@code output}. Per stats interval: {@code dispatch_calls_per_sec} (decoded events per
 * second, a whole number as FEVER's), {@code input_queue_dropped} (always 0: eveflow never drops
 * input), the event profiler's cumulative {@code count.<type>} and {@code size.<type>} (line bytes), and
 * per output {@code output_received_per_sec}, {@code output_dropped} (cumulative) and
 * {@code output_buffer_length}. Rates are taken over the time since the last sample, the first since
 * the start (a real rate, as FEVER's). Every 30 s of samples (FEVER's flow profiler period, counted
 * from the start): per app_proto (tag {@code proto}) the flow events' {@code flowpktstoserver},
 * {@code flowpktstoclient}, {@code flowbytestoserver}, {@code flowbytestoclient} of that period. Per
 * flush, once: {@code flow_aggregate_raw_count} and {@code flow_aggregate_count}, and FEVER's DNS
 * aggregator's {@code dns_aggregate_count} and {@code dns_aggregate_raw_count} as 0 (eveflow aggregates
 * no DNS). The host tag is FEVER's: its stats encoder's name on the encoder's points, its profilers'
 * on the profile points ({@code daemon/Hostname}), each asked for when the first such point is made.
 * Used by the stats thread and the flush thread through {@link InfluxSink}, which serialises them.
 */
final class FeverPoints {
    /** FEVER's flow profiler submits every 30 s. */
    static final long FLOW_PROFILE_MILLIS = 30_000;
    private final String measurement;
    private final Supplier<String> pointsHost;
    private final Supplier<String> profilesHost;
    private final Map<String, String> tags;
    private final Counters counters;
    /** Samples per flow profile: 30 s of stats intervals (3 of 10 s), at least one. */
    private final long samplesPerProfile;
    private long samples;
    private long lastMillis;
    private long lastDecoded;
    private final Map<String, Long> lastOffered = new HashMap<>();
    private Map<String, long[]> lastProfile = Map.of();

    /**
     * {@code startMillis}: when counting began (the rates' and the first profile's start); the hosts
     * are asked once, when first needed (they may wait on the resolver).
     */
    FeverPoints(String measurement, Supplier<String> pointsHost, Supplier<String> profilesHost,
            Map<String, String> tags, Counters counters, long intervalMillis, long startMillis) {
        this.measurement = measurement;
        this.pointsHost = memoized(pointsHost);
        this.profilesHost = memoized(profilesHost);
        this.tags = tags;
        this.counters = counters;
        this.samplesPerProfile = Math.max(1, Math.round((double) FLOW_PROFILE_MILLIS / intervalMillis));
        this.lastMillis = startMillis;
    }

    /** {@code s}, asked once (by whichever thread comes first; the others wait for its answer). */
    private static Supplier<String> memoized(Supplier<String> s) {
        String[] value = new String[1];
        return () -> {
            synchronized (value) {
                if (value[0] == null) {
                    value[0] = s.get();
                }
                return value[0];
            }
        };
    }

    /** Asks for the host names now, so that the first point need not wait for the resolver. */
    void resolveHosts() {
        pointsHost.get();
        profilesHost.get();
    }

    private Point point(long epochMillis, Supplier<String> host) {
        return Point.measurement(measurement).time(epochMillis, WritePrecision.MS).addTag("host", host.get())
                .addTags(tags);
    }

    /** The points of one stats interval. */
    synchronized List<Point> ofSample(Sample s) {
        double seconds = Math.max(1, s.epochMillis() - lastMillis) / 1000.0;
        List<Point> points = new ArrayList<>();
        long decoded = s.global().getOrDefault("lines_decoded", 0L);
        points.add(point(s.epochMillis(), pointsHost)
                .addField("dispatch_calls_per_sec", Math.floor((decoded - lastDecoded) / seconds))
                .addField("input_queue_dropped", 0.0));
        lastDecoded = decoded;
        Map<String, Long> counts = counters.events.snapshot();
        Map<String, Long> sizes = counters.events.bytesSnapshot();
        if (!counts.isEmpty()) {
            Point profile = point(s.epochMillis(), profilesHost);
            sizes.forEach((type, bytes) -> profile.addField("size." + type, (double) bytes));
            counts.forEach((type, n) -> profile.addField("count." + type, (double) n));
            points.add(profile);
        }
        for (Map.Entry<String, Map<String, Long>> o : s.outputs().entrySet()) {
            Map<String, Long> m = o.getValue();
            long offered = m.getOrDefault("output_offered", 0L);
            long before = lastOffered.getOrDefault(o.getKey(), 0L); // an output counts from the start
            lastOffered.put(o.getKey(), offered);
            points.add(point(s.epochMillis(), pointsHost).addTag("output", o.getKey())
                    .addField("output_received_per_sec", Math.floor((offered - before) / seconds))
                    .addField("output_dropped", (double) m.getOrDefault("output_dropped", 0L))
                    .addField("output_buffer_length", (double) m.getOrDefault("output_buffer_length", 0L)));
        }
        if (++samples % samplesPerProfile == 0) {
            Map<String, long[]> now = counters.flowsByAppProto.snapshot();
            for (Map.Entry<String, long[]> p : now.entrySet()) {
                long[] v = p.getValue();
                long[] before = lastProfile.getOrDefault(p.getKey(), new long[AppProtoCounters.VALUES]);
                points.add(point(s.epochMillis(), profilesHost).addTag("proto", p.getKey())
                        .addField("flowbytestoclient", (double) (v[3] - before[3]))
                        .addField("flowbytestoserver", (double) (v[2] - before[2]))
                        .addField("flowpktstoclient", (double) (v[1] - before[1]))
                        .addField("flowpktstoserver", (double) (v[0] - before[0])));
            }
            lastProfile = now;
        }
        lastMillis = s.epochMillis();
        return points;
    }

    /**
     * The points of one flush: flow events and aggregates in it, and FEVER's DNS aggregator's counts,
     * 0 (FEVER aggregated DNS queries for its database output, which eveflow does not have).
     */
    synchronized List<Point> ofFlush(long epochMillis, long flowEvents, long aggregates) {
        return List.of(point(epochMillis, pointsHost).addField("flow_aggregate_raw_count", (double) flowEvents)
                        .addField("flow_aggregate_count", (double) aggregates),
                point(epochMillis, pointsHost).addField("dns_aggregate_count", 0.0)
                        .addField("dns_aggregate_raw_count", 0.0));
    }
}

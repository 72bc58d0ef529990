package org.eveflow.stats;

import org.eveflow.counters.AppProtoCounters;
import org.eveflow.counters.Counters;
import org.eveflow.counters.EventTypeCounters;
import static org.assertj.core.api.Assertions.assertThat;

import com.influxdb.client.write.Point;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * FEVER's points from eveflow's counters: names, float fields, rates from the start on (the first
 * sample's too), the flow profile every 30 s counted from the start, the DNS aggregator's counts at a
 * flush, and FEVER's two host names.
 */
class FeverPointsTest {
    private static final long START = 1_000_000;
    private final Counters counters = new Counters();
    private final FeverPoints fever = new FeverPoints("fever", () -> "sensor-1.example.org", () -> "sensor-1",
            Map.of(), counters, 10_000, START);

    private static Sample sample(long millis, long decoded) {
        return new Sample(millis, Map.of("lines_decoded", decoded),
                Map.of("siem", Map.of("output_offered", decoded / 2, "output_dropped", 3L, "output_buffer_length", 7L)));
    }

    private void flows(String appProto, long pkts, long bytes) {
        long[] tally = new long[AppProtoCounters.SLOTS * AppProtoCounters.VALUES];
        int at = AppProtoCounters.slot(appProto) * AppProtoCounters.VALUES;
        tally[at] = pkts;
        tally[at + 1] = pkts * 2;
        tally[at + 2] = bytes;
        tally[at + 3] = bytes * 2;
        counters.flowsByAppProto.addAll(tally);
    }

    private static List<String> lines(List<Point> points) {
        return points.stream().map(Point::toLineProtocol).toList();
    }

    @Test
    void intervalPointsCarryFeversNamesAsFloatsWithRatesFromTheStart() {
        long[] counts = new long[EventTypeCounters.SLOTS];
        long[] bytes = new long[EventTypeCounters.SLOTS];
        counts[EventTypeCounters.slot("alert")] = 4;
        bytes[EventTypeCounters.slot("alert")] = 1_000;
        counters.events.addAll(counts, bytes);
        assertThat(lines(fever.ofSample(sample(START + 10_000, 5_005)))).containsExactly(
                "fever,host=sensor-1.example.org dispatch_calls_per_sec=500.0,input_queue_dropped=0.0 1010000",
                "fever,host=sensor-1 count.alert=4.0,size.alert=1000.0 1010000",
                "fever,host=sensor-1.example.org,output=siem output_buffer_length=7.0,output_dropped=3.0,"
                        + "output_received_per_sec=250.0 1010000");
        assertThat(lines(fever.ofSample(sample(START + 20_000, 7_005)))).contains(
                "fever,host=sensor-1.example.org dispatch_calls_per_sec=200.0,input_queue_dropped=0.0 1020000",
                "fever,host=sensor-1.example.org,output=siem output_buffer_length=7.0,output_dropped=3.0,"
                        + "output_received_per_sec=100.0 1020000");
    }

    @Test
    void aFlushWritesTheFlowCountsAndTheDnsAggregatorsAsZero() {
        assertThat(lines(fever.ofFlush(1_020_000, 12, 5))).containsExactly(
                "fever,host=sensor-1.example.org flow_aggregate_count=5.0,flow_aggregate_raw_count=12.0 1020000",
                "fever,host=sensor-1.example.org dns_aggregate_count=0.0,dns_aggregate_raw_count=0.0 1020000");
    }

    @Test
    void flowProfileIsWrittenEveryThirtySecondsFromTheStartWithThatPeriodsSums() {
        flows("http", 10, 1_000); // before the first sample: FEVER's profiler counts these too
        assertThat(lines(fever.ofSample(sample(START + 10_000, 0)))).noneMatch(l -> l.contains("proto="));
        flows("http", 1, 100);
        flows(null, 2, 200);
        flows("made-up", 3, 300);
        assertThat(lines(fever.ofSample(sample(START + 20_000, 0)))).noneMatch(l -> l.contains("proto="));
        assertThat(lines(fever.ofSample(sample(START + 30_000, 0))).stream().filter(l -> l.contains("proto="))
                .toList()).containsExactly(
                        "fever,host=sensor-1,proto=http flowbytestoclient=2200.0,flowbytestoserver=1100.0,"
                                + "flowpktstoclient=22.0,flowpktstoserver=11.0 1030000",
                        "fever,host=sensor-1,proto=unknown flowbytestoclient=400.0,flowbytestoserver=200.0,"
                                + "flowpktstoclient=4.0,flowpktstoserver=2.0 1030000",
                        "fever,host=sensor-1,proto=other flowbytestoclient=600.0,flowbytestoserver=300.0,"
                                + "flowpktstoclient=6.0,flowpktstoserver=3.0 1030000");
        flows("http", 1, 1);
        fever.ofSample(sample(START + 40_000, 0));
        fever.ofSample(sample(START + 50_000, 0));
        assertThat(lines(fever.ofSample(sample(START + 60_000, 0))).stream().filter(l -> l.contains("proto="))
                .toList()).containsExactly("fever,host=sensor-1,proto=http flowbytestoclient=2.0,"
                        + "flowbytestoserver=1.0,flowpktstoclient=2.0,flowpktstoserver=1.0 1060000",
                        "fever,host=sensor-1,proto=unknown flowbytestoclient=0.0,flowbytestoserver=0.0,"
                                + "flowpktstoclient=0.0,flowpktstoserver=0.0 1060000",
                        "fever,host=sensor-1,proto=other flowbytestoclient=0.0,flowbytestoserver=0.0,"
                                + "flowpktstoclient=0.0,flowpktstoserver=0.0 1060000");
    }
}

package org.eveflow.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.influxdb.client.write.Point;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FEVER's points from eveflow's counters: names, float fields, rates between samples, the 30-s flow profile. */
class FeverPointsTest {
    private final Counters counters = new Counters();
    private final FeverPoints fever = new FeverPoints("fever", "sensor-1", Map.of(), counters);

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
    void intervalPointsCarryFeversNamesAsFloatsWithRatesBetweenSamples() {
        long[] counts = new long[EventTypeCounters.SLOTS];
        long[] bytes = new long[EventTypeCounters.SLOTS];
        counts[EventTypeCounters.slot("alert")] = 4;
        bytes[EventTypeCounters.slot("alert")] = 1_000;
        counters.events.addAll(counts, bytes);
        assertThat(lines(fever.ofSample(sample(1_000_000, 500)))).containsExactly(
                "fever,host=sensor-1 dispatch_calls_per_sec=0.0,input_queue_dropped=0.0 1000000",
                "fever,host=sensor-1 count.alert=4.0,size.alert=1000.0 1000000",
                "fever,host=sensor-1,output=siem output_buffer_length=7.0,output_dropped=3.0,output_received_per_sec=0.0 1000000");
        assertThat(lines(fever.ofSample(sample(1_010_000, 2_500)))).contains(
                "fever,host=sensor-1 dispatch_calls_per_sec=200.0,input_queue_dropped=0.0 1010000",
                "fever,host=sensor-1,output=siem output_buffer_length=7.0,output_dropped=3.0,output_received_per_sec=100.0 1010000");
        assertThat(fever.ofFlush(1_020_000, 12, 5).toLineProtocol())
                .isEqualTo("fever,host=sensor-1 flow_aggregate_count=5.0,flow_aggregate_raw_count=12.0 1020000");
    }

    @Test
    void flowProfileIsWrittenEveryThirtySecondsWithThatPeriodsSumsByAppProto() {
        flows("http", 10, 1_000);
        fever.ofSample(sample(0, 0)); // the profile's period starts here
        flows("http", 1, 100);
        flows(null, 2, 200);
        flows("made-up", 3, 300);
        assertThat(lines(fever.ofSample(sample(10_000, 0)))).noneMatch(l -> l.contains("proto="));
        assertThat(lines(fever.ofSample(sample(29_999, 0)))).noneMatch(l -> l.contains("proto="));
        assertThat(lines(fever.ofSample(sample(30_000, 0))).stream().filter(l -> l.contains("proto=")).toList())
                .containsExactly(
                        "fever,host=sensor-1,proto=http flowbytestoclient=200.0,flowbytestoserver=100.0,"
                                + "flowpktstoclient=2.0,flowpktstoserver=1.0 30000",
                        "fever,host=sensor-1,proto=unknown flowbytestoclient=400.0,flowbytestoserver=200.0,"
                                + "flowpktstoclient=4.0,flowpktstoserver=2.0 30000",
                        "fever,host=sensor-1,proto=other flowbytestoclient=600.0,flowbytestoserver=300.0,"
                                + "flowpktstoclient=6.0,flowpktstoserver=3.0 30000");
        flows("http", 1, 1);
        assertThat(lines(fever.ofSample(sample(60_000, 0))).stream().filter(l -> l.contains("proto=")).toList())
                .containsExactly("fever,host=sensor-1,proto=http flowbytestoclient=2.0,flowbytestoserver=1.0,"
                        + "flowpktstoclient=2.0,flowpktstoserver=1.0 60000",
                        "fever,host=sensor-1,proto=unknown flowbytestoclient=0.0,flowbytestoserver=0.0,"
                                + "flowpktstoclient=0.0,flowpktstoserver=0.0 60000",
                        "fever,host=sensor-1,proto=other flowbytestoclient=0.0,flowbytestoserver=0.0,"
                                + "flowpktstoclient=0.0,flowpktstoserver=0.0 60000");
    }
}

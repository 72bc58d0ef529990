package org.eveflow.stats;

import org.eveflow.counters.Counters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.Influxd;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * measurement fever: a real InfluxDB 1.6 that already holds the points FEVER writes (float fields:
 * FEVER's encoder writes integers without the 'i' suffix) accepts every point eveflow writes, with
 * FEVER's field names, host tag and cadence (the flush values once per flush).
 */
class InfluxFeverFormatTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void influxPresent() {
        Influxd.requireInstalled();
    }

    /** Points as FEVER 1.3.7 writes them (its PerformanceStatsEncoder, event profiler, forwarder). */
    private static final String FEVER_POINTS = String.join("\n",
            "fever,host=sensor-1 flow_aggregate_raw_count=12,flow_aggregate_count=5 1000000000",
            "fever,host=sensor-1 dispatch_calls_per_sec=100 1000000000",
            "fever,host=sensor-1 input_queue_length=0,input_queue_dropped=0 1000000000",
            "fever,host=sensor-1,output=default output_received_per_sec=3,output_dropped=0,output_buffer_length=0 1000000000",
            "fever,host=sensor-1 size.alert=500,size.flow=900,count.alert=2,count.flow=3 1000000000",
            "fever,host=sensor-1,proto=http flowbytestoclient=10,flowbytestoserver=20,flowpktstoclient=1,"
                    + "flowpktstoserver=2 1000000000");

    private static double sum(Influxd influx, String field) throws Exception {
        JsonNode v = influx.query("telegraf", "SELECT sum(\"" + field + "\") FROM fever WHERE time > 2s", true)
                .path("results").path(0).path("series").path(0).path("values").path(0).path(1);
        return v.isMissingNode() ? 0 : v.asDouble();
    }

    @Test
    void everyPointFitsADatabaseFeverWroteIntoWithFeversCadence() throws Exception {
        try (Influxd influx = Influxd.start(dir.resolve("influx"), null, null);
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            influx.createDatabase("telegraf");
            influx.write("telegraf", FEVER_POINTS);
            TestDaemon d = TestDaemon.start(dir, "stats:\n  interval: 100ms\n  host: sensor-1\n  measurement: fever\n"
                    + "  influx:\n    url: " + influx.url() + "\n    api: v1\n    database: telegraf\n",
                    TestDaemon.flags("300ms", "alert"));
            FlowGen gen = new FlowGen(40, 3);
            int flows = 6_000;
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < flows; i++) {
                    w.line(gen.next());
                    if (i % 100 == 0) {
                        w.line("{\"event_type\":\"alert\",\"n\":" + i + "}");
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesDecoded.sum() == flows + 60);
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().flushes.sum() >= 3);
            d.stop();
            Counters c = d.counters();
            assertThat(c.statsPointsDropped.sum()).as("InfluxDB refused a point").isZero();
            assertThat(c.statsPointsWritten.sum()).isPositive();
            // per-flush values: one point per flush (the final one included), never repeated per interval
            long flushPoints = influx.count("telegraf", "fever", "flow_aggregate_count", "time > 2s");
            assertThat(flushPoints).isEqualTo(c.flushes.sum());
            assertThat((long) sum(influx, "flow_aggregate_raw_count")).isEqualTo(flows);
            assertThat((long) sum(influx, "flow_aggregate_count")).isEqualTo(c.aggregatesEmitted.sum());
            // event profiler: cumulative count.<type> and size.<type> (line bytes)
            java.util.Map<String, JsonNode> profile = influx.last("telegraf", "fever", "\"count.flow\" > 0 AND time > 2s");
            assertThat(profile.get("count.flow").asLong()).isEqualTo(flows);
            assertThat(profile.get("count.alert").asLong()).isEqualTo(60);
            assertThat(profile.get("size.alert").asLong()).isEqualTo(c.events.bytesSnapshot().get("alert"));
            assertThat(profile.get("host").asText()).isEqualTo("sensor-1");
            java.util.Map<String, JsonNode> out = influx.last("telegraf", "fever", "\"output\" = 'default' AND time > 2s");
            assertThat(out.get("output_dropped").asLong()).isZero();
            assertThat(out.get("output_buffer_length").asLong()).isZero();
            assertThat(out).containsKey("output_received_per_sec");
            assertThat(influx.count("telegraf", "fever", "input_queue_dropped", "time > 2s")).isPositive();
            assertThat(influx.count("telegraf", "fever", "dispatch_calls_per_sec", "time > 2s")).isPositive();
            // eveflow's own names are not written under FEVER's format
            assertThat(influx.count("telegraf", "fever", "lines_received", "time > 0s")).isZero();
        }
    }
}

package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.Influxd;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar writes its counters to a real InfluxDB 1.6 (API v1): the jar leaves out parts of
 * the InfluxDB client's dependencies (its query path, RxJava's operators), and this is the test that
 * the write path works without them. The final point holds the daemon's final counters exactly.
 */
class InfluxStatsIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void influxPresent() {
        Influxd.requireInstalled();
    }

    @Test
    void countersReachInfluxDbFromThePackagedJar() throws Exception {
        try (Influxd influx = Influxd.start(dir.resolve("influx"), null, null);
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            influx.createDatabase("eveflow");
            Path cfg = dir.resolve("eveflow.yaml");
            Files.writeString(cfg, "stats:\n  interval: 200ms\n  host: sensor-1\n  influx:\n    url: " + influx.url()
                    + "\n    api: v1\n    database: eveflow\n");
            Path in = dir.resolve("in.sock");
            FlowGen gen = new FlowGen(100, 41);
            try (DaemonProcess p = DaemonProcess.start(dir, "run", "--config", cfg.toString(), "-i", in.toString(),
                    "-o", sink.path().toString(), "-f", "1h")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
                try (EveWriter w = new EveWriter(in)) {
                    for (int i = 0; i < 3_000; i++) {
                        w.line(gen.next());
                    }
                    w.line("{\"event_type\":\"alert\",\"n\":1}");
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Map<String, JsonNode> g = influx.last("eveflow", "eveflow", "\"output\" = ''");
                    return g.containsKey("lines_received") && g.get("lines_received").asLong() == 3_001;
                });
                p.sigterm();
                assertThat(p.waitFor(60)).as(p.output()).isZero();
                assertThat(p.output()).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
            }
            Map<String, JsonNode> g = influx.last("eveflow", "eveflow", "\"output\" = ''");
            assertThat(g.get("host").asText()).isEqualTo("sensor-1");
            assertThat(g.get("lines_decoded").asLong()).isEqualTo(3_001);
            assertThat(g.get("flows_aggregated").asLong()).isEqualTo(3_000);
            assertThat(g.get("aggregates_emitted").asLong()).isEqualTo(100);
            assertThat(g.get("stats_points_dropped").asLong()).isZero();
            Map<String, JsonNode> o = influx.last("eveflow", "eveflow", "\"output\" = 'default'");
            assertThat(o.get("output_written").asLong()).isEqualTo(101);
        }
    }
}

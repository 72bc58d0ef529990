package org.eveflow.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eveflow.daemon.StartupException;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.PrometheusServer;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrape endpoint of a running daemon, over real HTTP: eveflow's counters with their exact values
 * and labels, Suricata's latest stats record, OpenMetrics when asked, the health endpoints, and a
 * taken port refused at start as a configuration error.
 */
class PrometheusEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static HttpResponse<String> get(int port, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The text format's samples: "name{labels}" to value. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = line.lastIndexOf(' ');
            m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
        }
        return m;
    }

    @Test
    void servesEveflowsCountersAndSuricatasLatestStats() throws Exception {
        int port = PrometheusServer.freePort();
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "stats:\n  prometheus:\n    listen: 127.0.0.1:" + port + "\n",
                    TestDaemon.flags("1h", "alert"));
            FlowGen gen = new FlowGen(50, 3);
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < 1_000; i++) {
                    w.line(gen.next());
                }
                w.line("{\"event_type\":\"alert\",\"alert\":{\"signature_id\":1}}");
                w.line("{\"event_type\":\"stats\",\"stats\":{\"uptime\":30,\"decoder\":{\"pkts\":12345},"
                        + "\"flow\":{\"memuse\":7000000},\"threads\":{\"W#01\":{\"decoder\":{\"pkts\":345}}}}}");
                w.line("{\"event_type\":\"stats\",\"stats\":{\"uptime\":38,\"decoder\":{\"pkts\":23456},"
                        + "\"flow\":{\"memuse\":6000000},\"threads\":{\"W#01\":{\"decoder\":{\"pkts\":456}}}}}");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesDecoded.sum() == 1_003);
            HttpResponse<String> r = get(port, "/metrics", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            Map<String, Double> s = samples(r.body());
            assertThat(s).containsEntry("eveflow_lines_received_total", 1_003.0)
                    .containsEntry("eveflow_events_total{event_type=\"flow\"}", 1_000.0)
                    .containsEntry("eveflow_events_total{event_type=\"alert\"}", 1.0)
                    .containsEntry("eveflow_flows_aggregated_total", 1_000.0)
                    .containsEntry("eveflow_connections_active", 0.0)
                    .containsEntry("suricata_decoder_pkts_total{thread=\"total\"}", 23_456.0)
                    .containsEntry("suricata_decoder_pkts_total{thread=\"W#01\"}", 456.0)
                    .containsEntry("suricata_flow_memuse{thread=\"total\"}", 6_000_000.0)
                    .containsEntry("suricata_uptime{thread=\"total\"}", 38.0)
                    .containsKey("eveflow_output_written_total{output=\"default\"}")
                    .containsKey("eveflow_output_dropped_total{cause=\"full\",output=\"default\"}")
                    .doesNotContainKey("eveflow_outputs_dropped_total");
            assertThat(r.body()).contains("# TYPE eveflow_lines_received_total counter", "# TYPE eveflow_keys_in_table gauge",
                    "# TYPE suricata_flow_memuse gauge");
            HttpResponse<String> om = get(port, "/metrics", "application/openmetrics-text; version=1.0.0");
            assertThat(om.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
            assertThat(om.body()).endsWith("# EOF\n");
            assertThat(get(port, "/-/healthy", null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(port, "/-/ready", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("eveflow is ready.\n");

            // the port is taken: a second daemon refuses to start, as an invalid configuration would
            Path other = dir.resolve("other");
            java.nio.file.Files.createDirectories(other);
            assertThatThrownBy(() -> TestDaemon.start(other, "stats:\n  prometheus:\n    listen: 127.0.0.1:" + port
                    + "\n", TestDaemon.flags("1h", "alert"))).isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("stats.prometheus.listen: cannot listen on 127.0.0.1:" + port + ": ")
                    .matches(e -> ((StartupException) e).exitCode() == 2);
            d.stop();
            assertThatThrownBy(() -> get(port, "/-/healthy", null)).isInstanceOf(java.io.IOException.class);
        }
    }
}

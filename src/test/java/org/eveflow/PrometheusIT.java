package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eveflow.testing.CaptureScenario;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.Required;
import org.eveflow.testing.Suricata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus (2.42) scrapes the packaged jar's endpoint while Suricata 7 replays a capture
 * into eveflow: PromQL over Prometheus' HTTP API gives exactly the lines Suricata wrote (its file
 * output, counted), the flows, and Suricata's decoder_pkts of its last stats record; promtool finds
 * nothing to say about the exposition; the health endpoints answer.
 */
class PrometheusIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of a PromQL query that has one series, or -1 when it has none. */
    private static double query(int port, String promql) throws Exception {
        JsonNode r = JSON.readTree(get("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        JsonNode result = r.path("data").path("result");
        return result.size() == 1 ? result.get(0).path("value").get(1).asDouble() : -1;
    }

    @Test
    void prometheusScrapesExactValues() throws Exception {
        Required.binary("/usr/bin/prometheus", "prometheus (Debian 12)");
        Suricata.Version.SURICATA_7.require();
        Path in = dir.resolve("in.sock");
        Path pcap = dir.resolve("capture.pcap");
        CaptureScenario.write(pcap, "single", 20, 8, 7, 1_709_294_400_000_000L, 20_000, true);
        Path cfg = Suricata.writeConfig(dir, in, "", "[alert, flow, dns, http, tls, {stats: {totals: yes, threads: yes}}]");
        int eveflowPort = freePort();
        int prometheusPort = freePort();
        Path promConfig = dir.resolve("prometheus.yml");
        Files.writeString(promConfig, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: eveflow\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + eveflowPort + "']\n");
        Process prometheus = null;
        try (LineSink sink = new LineSink(dir.resolve("out.sock"));
             DaemonProcess eveflow = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o",
                     dir.resolve("out.sock").toString(), "-f", "1h", "-t", "alert",
                     "--prometheus-listen", "127.0.0.1:" + eveflowPort)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !eveflow.isAlive());
            assertThat(get("http://127.0.0.1:" + eveflowPort + "/-/healthy")).isEqualTo("eveflow is healthy.\n");
            assertThat(get("http://127.0.0.1:" + eveflowPort + "/-/ready")).isEqualTo("eveflow is ready.\n");
            prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + promConfig,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Process suricata = Suricata.start(dir, cfg, pcap);
            assertThat(suricata.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(suricata.exitValue()).as(Files.readString(dir.resolve("suricata.out"))).isZero();

            List<JsonNode> file = Suricata.fileRecords(dir);
            long flows = file.stream().filter(r -> r.path("event_type").asText().equals("flow")).count();
            JsonNode lastStats = file.stream().filter(r -> r.path("event_type").asText().equals("stats"))
                    .reduce((a, b) -> b).orElseThrow();
            long decoderPkts = lastStats.path("stats").path("decoder").path("pkts").asLong();
            assertThat(decoderPkts).isPositive();
            int pp = prometheusPort;
            await().atMost(Duration.ofSeconds(60)).until(() -> query(pp, "eveflow_lines_received_total") == file.size()
                    && query(pp, "suricata_decoder_pkts_total{thread=\"total\"}") == decoderPkts);
            assertThat(query(pp, "eveflow_events_total{event_type=\"flow\"}")).isEqualTo(flows);
            assertThat(query(pp, "eveflow_flows_aggregated_total")).isEqualTo(flows);
            assertThat(query(pp, "sum(eveflow_output_dropped_total)")).isZero();
            assertThat(query(pp, "up{job=\"eveflow\"}")).isEqualTo(1);

            Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(writeExposition(eveflowPort))).start();
            String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(said).as("promtool check metrics").isEmpty();
            assertThat(promtool.exitValue()).isZero();
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    private java.io.File writeExposition(int port) throws Exception {
        Path f = dir.resolve("exposition.txt");
        Files.writeString(f, get("http://127.0.0.1:" + port + "/metrics"));
        return f.toFile();
    }
}

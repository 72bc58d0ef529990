package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
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
import org.eveflow.testing.PrometheusServer;
import org.eveflow.testing.Required;
import org.eveflow.testing.Suricata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's Prometheus (2.42) scrapes the packaged jar's endpoint while Suricata 7 replays a capture
 * into eveflow: PromQL over Prometheus' HTTP API gives exactly the lines Suricata wrote (its file
 * output, counted), the flows, and Suricata's decoder_pkts of its last stats record, and rate() over a
 * paced feed of 3,000 lines a second within 10 %; promtool finds nothing to say about the exposition;
 * the health endpoints answer.
 */
class PrometheusIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void prometheusScrapesExactValues() throws Exception {
        Required.binary(PrometheusServer.BINARY, "prometheus (Debian 12)");
        Suricata.Version.SURICATA_7.require();
        Path in = dir.resolve("in.sock");
        Path pcap = dir.resolve("capture.pcap");
        CaptureScenario.write(pcap, "single", 20, 8, 7, 1_709_294_400_000_000L, 20_000, true);
        Path cfg = Suricata.writeConfig(dir, in, "", "[alert, flow, dns, http, tls, {stats: {totals: yes, threads: yes}}]");
        int eveflowPort = PrometheusServer.freePort();
        try (LineSink sink = new LineSink(dir.resolve("out.sock"));
             DaemonProcess eveflow = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o",
                     dir.resolve("out.sock").toString(), "-f", "1h", "-t", "alert",
                     "--prometheus-listen", "127.0.0.1:" + eveflowPort);
             PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), eveflowPort)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !eveflow.isAlive());
            assertThat(get("http://127.0.0.1:" + eveflowPort + "/-/healthy")).isEqualTo("eveflow is healthy.\n");
            assertThat(get("http://127.0.0.1:" + eveflowPort + "/-/ready")).isEqualTo("eveflow is ready.\n");
            Process suricata = Suricata.start(dir, cfg, pcap);
            assertThat(suricata.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(suricata.exitValue()).as(Files.readString(dir.resolve("suricata.out"))).isZero();

            List<JsonNode> file = Suricata.fileRecords(dir);
            long flows = file.stream().filter(r -> r.path("event_type").asText().equals("flow")).count();
            JsonNode lastStats = file.stream().filter(r -> r.path("event_type").asText().equals("stats"))
                    .reduce((a, b) -> b).orElseThrow();
            long decoderPkts = lastStats.path("stats").path("decoder").path("pkts").asLong();
            assertThat(decoderPkts).isPositive();
            await().atMost(Duration.ofSeconds(60)).until(() -> prometheus.value("eveflow_lines_received_total") == file.size()
                    && prometheus.value("suricata_decoder_pkts_total{thread=\"total\"}") == decoderPkts);
            assertThat(prometheus.value("eveflow_events_total{event_type=\"flow\"}")).isEqualTo(flows);
            assertThat(prometheus.value("eveflow_flows_aggregated_total")).isEqualTo(flows);
            assertThat(prometheus.value("sum(eveflow_output_dropped_total)")).isZero();
            assertThat(prometheus.value("up{job=\"eveflow\"}")).isEqualTo(1);

            // rate() over a known feed: 3,000 lines a second for 20 s, paced by a scheduler; while it runs
            // Prometheus' rate over 5 s of 1-s scrapes is that rate within 10 %
            double before = prometheus.value("eveflow_lines_received_total");
            java.util.concurrent.ScheduledExecutorService feed = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            try (org.eveflow.testing.EveWriter w = new org.eveflow.testing.EveWriter(in)) {
                org.eveflow.testing.FlowGen gen = new org.eveflow.testing.FlowGen(100, 9);
                java.util.concurrent.atomic.AtomicInteger ticks = new java.util.concurrent.atomic.AtomicInteger();
                feed.scheduleAtFixedRate(() -> {
                    if (ticks.incrementAndGet() > 200) {
                        return;
                    }
                    try {
                        for (int i = 0; i < 300; i++) {
                            w.line(gen.next());
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    double rate = prometheus.value("rate(eveflow_lines_received_total[5s])");
                    return ticks.get() >= 80 && ticks.get() < 190 && rate > 2_700 && rate < 3_300;
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> ticks.get() > 200);
            } finally {
                feed.shutdownNow();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.value("eveflow_lines_received_total")
                    == before + 60_000);

            Path exposition = dir.resolve("exposition.txt");
            Files.writeString(exposition, get("http://127.0.0.1:" + eveflowPort + "/metrics"));
            Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true)
                    .redirectInput(exposition.toFile()).start();
            String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(said).as("promtool check metrics").isEmpty();
            assertThat(promtool.exitValue()).isZero();
        }
    }
}

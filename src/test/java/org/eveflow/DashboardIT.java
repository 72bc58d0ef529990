package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eveflow.testing.CaptureScenario;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.Influxd;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.LiveSuricata;
import org.eveflow.testing.PrometheusServer;
import org.eveflow.testing.Suricata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shipped Grafana dashboard against what eveflow really writes: a live Suricata 7, and 8 in the
 * Debian 13 root (af-packet,
 * replayed traffic, stats every second with threads) and generated EVE lines go into the packaged
 * jar, which writes its counters and Suricata's stats into a real InfluxDB 1.6; then every panel's
 * InfluxQL, with Grafana's variables filled in, must return a series in which every column the panel
 * shows has a value. A query naming a field or measurement eveflow never writes fails here. The same
 * eveflow serves its Prometheus endpoint to a real Prometheus meanwhile, and every PromQL target of the
 * Prometheus dashboard must return a series.
 */
class DashboardIT {
    private static final Path DASHBOARD = Path.of("conf/grafana/eveflow-dashboard.json");
    private static final Path PROMETHEUS_DASHBOARD = Path.of("conf/grafana/eveflow-prometheus-dashboard.json");
    private static final String HOST = "sensor-dash";

    @TempDir
    Path dir;

    @BeforeAll
    static void toolsPresent() {
        Influxd.requireInstalled();
    }

    @ParameterizedTest
    @EnumSource(Suricata.Version.class)
    void everyPanelsQueryReturnsTheFieldsItShows(Suricata.Version version) throws Exception {
        LiveSuricata.requireInstalled(version);
        Path pcap = dir.resolve("capture.pcap");
        CaptureScenario.write(pcap, "dash", 20, 2, 5, 1_709_294_400_000_000L, 2_000);
        long start = System.currentTimeMillis() - 1_000;
        try (Influxd influx = Influxd.start(dir.resolve("influx"), null, null);
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            influx.createDatabase("sensors");
            Path cfg = dir.resolve("eveflow.yaml");
            Files.writeString(cfg, "stats:\n  interval: 500ms\n  host: " + HOST + "\n  influx:\n    url: " + influx.url()
                    + "\n    api: v1\n    database: sensors\n");
            Path in = dir.resolve("in.sock");
            int endpoint = PrometheusServer.freePort();
            try (DaemonProcess eveflow = DaemonProcess.start(dir, "run", "--config", cfg.toString(), "-i",
                    in.toString(), "-o", sink.path().toString(), "-f", "1s", "--prometheus-listen",
                    "127.0.0.1:" + endpoint);
                 PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), endpoint)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !eveflow.isAlive());
                try (LiveSuricata suricata = LiveSuricata.start(version, dir.resolve("suricata"), in,
                        "[alert, flow, dns, http, tls, {stats: {totals: yes, threads: yes}}]")) {
                    long sent = suricata.replay(pcap, 2_000);
                    await().atMost(Duration.ofSeconds(60)).until(() -> {
                        Map<String, JsonNode> s = influx.last("sensors", "suricata", "\"thread\" = 'total'");
                        return s.containsKey("capture_kernel_packets")
                                && s.get("capture_kernel_packets").asLong() + s.get("capture_kernel_drops").asLong() >= sent;
                    });
                    generatedTraffic(in);
                    await().atMost(Duration.ofSeconds(30)).until(() -> influx.count("sensors", "suricata",
                            "capture_kernel_packets", "\"thread\" = 'total'") >= 3);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Map<String, JsonNode> g = influx.last("sensors", "eveflow", "\"output\" = ''");
                    return g.containsKey("lines_malformed") && g.get("lines_malformed").asLong() == 1;
                });
                // the Prometheus dashboard: while eveflow serves, every target of every panel has a series
                await().atMost(Duration.ofSeconds(30)).until(() -> prometheus.value("eveflow_lines_malformed_total") == 1
                        && prometheus.value("count_over_time(suricata_capture_kernel_packets_total{thread=\"total\"}[1m])")
                        >= 3);
                assertThat(prometheusPanelsWithoutSeries(prometheus)).as("Prometheus panels whose query finds nothing")
                        .isEmpty();
                eveflow.sigterm();
                assertThat(eveflow.waitFor(60)).as(eveflow.output()).isZero();
            }
            Map<String, JsonNode> last = influx.last("sensors", "eveflow", "\"output\" = ''");
            assertThat(last.get("suricata_stats_records").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(last.get("suricata_stats_malformed").asLong()).isZero();
            assertThat(last.get("suricata_stats_fields_dropped").asLong()).isZero();
            assertThat(last.get("stats_points_dropped").asLong()).isZero();
            assertThat(influx.count("sensors", "suricata", "decoder_pkts", "\"thread\" =~ /^W#01-/"))
                    .as("per-thread points of the capture thread").isPositive();
            long end = System.currentTimeMillis() + 1_000;
            List<String> failures = new ArrayList<>();
            int queries = 0;
            JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
            for (JsonNode panel : dashboard.get("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    queries++;
                    String q = target.get("query").asText().replace("$timeFilter", "time >= " + start + "ms AND time <= "
                            + end + "ms").replace("$__interval", "1s").replace("$host", HOST);
                    String problem = emptyColumns(influx.query("sensors", q, true));
                    if (problem != null) {
                        failures.add(panel.get("title").asText() + ": " + problem + "\n    " + q);
                    }
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.get("type").asText().equals("query")) {
                    JsonNode values = influx.query("sensors", variable.get("query").asText(), true);
                    assertThat(values.toString()).as("variable " + variable.get("name")).contains("\"" + HOST + "\"");
                }
            }
            assertThat(failures).as("panels whose query finds nothing to show").isEmpty();
            assertThat(queries).as("one query per panel").isEqualTo(16);
        }
    }

    /**
     * Each target of the Prometheus dashboard whose PromQL, with Grafana's variables filled in
     * ($instance: every sensor, $__rate_interval: 10 s of 1-s scrapes), returns no series; and its
     * Sensor variable, which must list the scraped instance.
     */
    private static List<String> prometheusPanelsWithoutSeries(PrometheusServer prometheus) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(PROMETHEUS_DASHBOARD.toFile());
        List<String> empty = new ArrayList<>();
        int targets = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                targets++;
                String q = target.get("expr").asText().replace("$instance", ".*").replace("$__rate_interval", "10s");
                if (prometheus.query(q).isEmpty()) {
                    empty.add(panel.get("title").asText() + ": " + q);
                }
            }
        }
        assertThat(targets).as("targets of the Prometheus dashboard").isEqualTo(40);
        String variable = dashboard.path("templating").path("list").path(1).path("definition").asText();
        assertThat(variable).isEqualTo("label_values(eveflow_lines_received_total, instance)");
        assertThat(prometheus.query("group by (instance) (eveflow_lines_received_total)")).hasSize(1);
        return empty;
    }

    /** Flow events, an alert and one malformed line, so eveflow's own panels have something to show. */
    private static void generatedTraffic(Path in) throws Exception {
        FlowGen gen = new FlowGen(50, 7);
        try (EveWriter w = new EveWriter(in)) {
            for (int i = 0; i < 2_000; i++) {
                w.line(gen.next());
            }
            w.line("{\"event_type\":\"alert\",\"n\":1}");
            w.line("{not json");
        }
    }

    /** Null when the answer has a series and every column of it a non-null value somewhere; else what is missing. */
    private static String emptyColumns(JsonNode answer) {
        JsonNode result = answer.path("results").path(0);
        if (result.has("error")) {
            return "error " + result.get("error").asText();
        }
        JsonNode series = result.path("series");
        if (series.isEmpty()) {
            return "no series";
        }
        List<String> empty = new ArrayList<>();
        JsonNode columns = series.get(0).get("columns");
        for (int c = 1; c < columns.size(); c++) {
            boolean any = false;
            for (JsonNode s : series) {
                for (JsonNode row : s.get("values")) {
                    any |= !row.get(c).isNull();
                }
            }
            if (!any) {
                empty.add(columns.get(c).asText());
            }
        }
        return empty.isEmpty() ? null : "no value in " + empty;
    }
}

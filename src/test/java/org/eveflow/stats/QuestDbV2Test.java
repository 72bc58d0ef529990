package org.eveflow.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.questdb.ServerMain;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API v2 round trip against a real server that implements /api/v2/write: QuestDB, started in-process
 * on a free port, read back over its HTTP SQL endpoint with exact values.
 */
class QuestDbV2Test {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode sql(int port, String query) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/exec?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        return Aggregates.parse(r.body());
    }

    /** The first row of a query as column name to value (empty when there is no row or no table yet). */
    private Map<String, JsonNode> row(int port, String query) throws Exception {
        JsonNode res = sql(port, query);
        Map<String, JsonNode> m = new HashMap<>();
        if (!res.has("dataset") || res.get("dataset").isEmpty()) {
            return m;
        }
        for (int i = 0; i < res.get("columns").size(); i++) {
            m.put(res.get("columns").get(i).get("name").asText(), res.get("dataset").get(0).get(i));
        }
        return m;
    }

    @Test
    void countersRoundTripThroughApiV2() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("QDB_HTTP_BIND_TO", "127.0.0.1:0");
        env.put("QDB_HTTP_MIN_ENABLED", "false");
        env.put("QDB_PG_ENABLED", "false");
        env.put("QDB_LINE_TCP_ENABLED", "false");
        env.put("QDB_LINE_UDP_ENABLED", "false");
        env.put("QDB_TELEMETRY_ENABLED", "false");
        Path root = Files.createDirectories(dir.resolve("questdb"));
        try (ServerMain questdb = ServerMain.create(root.toString(), env);
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            questdb.start();
            questdb.awaitStartup();
            int port = questdb.getHttpServerPort();
            assertThat(port).isPositive();
            TestDaemon d = TestDaemon.start(dir, "stats:\n  interval: 100ms\n  host: sensor-2\n  measurement: evf\n"
                    + "  influx:\n    url: http://127.0.0.1:" + port + "\n    api: v2\n    org: sensors\n"
                    + "    bucket: evf\n    token: not-checked-by-questdb\n", TestDaemon.flags("1h", "alert"));
            FlowGen gen = new FlowGen(30, 5);
            int lines = 4_321;
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < lines - 21; i++) {
                    w.line(gen.next());
                }
                for (int i = 0; i < 21; i++) {
                    w.line("{\"event_type\":\"alert\",\"n\":" + i + "}");
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesReceived() == lines);
            d.stop();
            assertThat(d.counters().statsPointsDropped.sum()).isZero();
            long written = d.counters().statsPointsWritten.sum();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> row(port,
                    "SELECT count() c FROM evf").get("c").asLong() == written);
            Map<String, JsonNode> g = row(port, "SELECT * FROM evf WHERE output IS NULL ORDER BY timestamp DESC LIMIT 1");
            assertThat(g.get("host").asText()).isEqualTo("sensor-2");
            assertThat(g.get("lines_received").asLong()).isEqualTo(lines);
            assertThat(g.get("lines_decoded").asLong()).isEqualTo(lines);
            assertThat(g.get("events_flow").asLong()).isEqualTo(lines - 21);
            assertThat(g.get("events_alert").asLong()).isEqualTo(21);
            assertThat(g.get("flows_aggregated").asLong()).isEqualTo(lines - 21);
            assertThat(g.get("aggregates_emitted").asLong()).isEqualTo(d.counters().aggregatesEmitted.sum());
            Map<String, JsonNode> o = row(port, "SELECT * FROM evf WHERE output = 'default' ORDER BY timestamp DESC LIMIT 1");
            assertThat(o.get("output_offered").asLong()).isEqualTo(21 + d.counters().aggregatesEmitted.sum());
            assertThat(o.get("output_dropped").asLong()).isZero();
        }
    }
}

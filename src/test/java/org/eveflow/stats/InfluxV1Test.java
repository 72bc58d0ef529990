package org.eveflow.stats;

import org.eveflow.counters.Counters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.Influxd;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stats into a real InfluxDB 1.6 (Debian's influxd, which has only /write): API v1 through the
 * request-rewriting interceptor, read back with InfluxQL, exact values; with and without auth; and
 * InfluxDB going away and coming back while the daemon ingests.
 */
class InfluxV1Test {
    @TempDir
    Path dir;

    @BeforeAll
    static void influxPresent() {
        Influxd.requireInstalled();
    }

    private static String statsYaml(Influxd influx, String auth, String extra) {
        return "stats:\n  interval: 100ms\n  host: sensor-1\n  tags:\n    site: lab\n"
                + "  influx:\n    url: " + influx.url() + "\n    api: v1\n    database: eveflow\n" + auth + extra;
    }

    private static int feed(TestDaemon d, int flows, int alerts) throws Exception {
        FlowGen gen = new FlowGen(50, 17);
        try (EveWriter w = new EveWriter(d.in)) {
            for (int i = 0; i < flows; i++) {
                w.line(gen.next());
            }
            for (int i = 0; i < alerts; i++) {
                w.line("{\"event_type\":\"alert\",\"n\":" + i + "}");
            }
            w.line("not json");
        }
        return flows + alerts + 1;
    }

    private static void assertFinalValuesInInflux(Influxd influx, TestDaemon d) throws Exception {
        Map<String, JsonNode> g = influx.last("eveflow", "eveflow", "\"output\" = ''");
        assertThat(g).isNotEmpty();
        assertThat(g.get("host").asText()).isEqualTo("sensor-1");
        assertThat(g.get("site").asText()).isEqualTo("lab");
        assertThat(g.get("lines_received").asLong()).isEqualTo(d.counters().linesReceived());
        assertThat(g.get("lines_decoded").asLong()).isEqualTo(d.counters().linesDecoded.sum());
        assertThat(g.get("lines_malformed").asLong()).isEqualTo(1);
        assertThat(g.get("flows_aggregated").asLong()).isEqualTo(d.counters().flowsAggregated.sum());
        assertThat(g.get("events_flow").asLong()).isEqualTo(d.counters().events.get("flow"));
        assertThat(g.get("events_alert").asLong()).isEqualTo(d.counters().events.get("alert"));
        assertThat(g.get("aggregates_emitted").asLong()).isEqualTo(d.counters().aggregatesEmitted.sum());
        assertThat(g.get("jvm_heap_used_bytes").asLong()).isPositive();
        Map<String, JsonNode> o = influx.last("eveflow", "eveflow", "\"output\" = 'default'");
        assertThat(o.get("output_offered").asLong()).isEqualTo(d.counters().output("default").offered.sum());
        assertThat(o.get("output_written").asLong()).isEqualTo(d.counters().output("default").written.sum());
        assertThat(o.get("output_dropped").asLong()).isZero();
    }

    @Test
    void countersArriveInInfluxDb16WithExactValues() throws Exception {
        try (Influxd influx = Influxd.start(dir.resolve("influx"), null, null);
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            influx.createDatabase("eveflow");
            TestDaemon d = TestDaemon.start(dir, statsYaml(influx, "", ""), TestDaemon.flags("1h", "alert"));
            int lines = feed(d, 5_000, 300);
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesReceived() == lines);
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().statsPointsWritten.sum() >= 4);
            d.stop();
            assertFinalValuesInInflux(influx, d);
            assertThat(d.counters().statsPointsDropped.sum()).isZero();
            long points = influx.count("eveflow", "eveflow", "lines_received", "\"output\" = ''");
            assertThat(points * 2).isEqualTo(d.counters().statsPointsWritten.sum()); // a global and an output point
        }
    }

    @Test
    void withAuthenticationUsernameAndPasswordFromAFile() throws Exception {
        try (Influxd influx = Influxd.start(dir.resolve("influx"), "eveflow-admin", "s3cr3t-pw");
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            influx.createDatabase("eveflow");
            Path pw = dir.resolve("influx.pw");
            java.nio.file.Files.writeString(pw, "s3cr3t-pw\n");
            TestDaemon d = TestDaemon.start(dir, statsYaml(influx,
                    "    username: eveflow-admin\n    password-file: " + pw + "\n", ""), TestDaemon.flags("1h", "alert"));
            int lines = feed(d, 2_000, 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesReceived() == lines);
            d.stop();
            assertFinalValuesInInflux(influx, d);
            assertThat(d.counters().statsPointsDropped.sum()).isZero();
        }
    }

    @Test
    void wrongPasswordIsRetriedNotFatalAndNeverLogged() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try (Influxd influx = Influxd.start(dir.resolve("influx"), "eveflow-admin", "right");
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            influx.createDatabase("eveflow");
            TestDaemon d = TestDaemon.start(dir, statsYaml(influx,
                    "    username: eveflow-admin\n    password: wrong-pw-123\n", "    buffer-points: 4\n"),
                    TestDaemon.flags("1h", "alert"));
            int lines = feed(d, 1_000, 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesReceived() == lines
                    && d.counters().statsPointsDropped.sum() > 0);
            assertThat(d.counters().statsPointsWritten.sum()).isZero();
            assertThat(d.counters().statsPointsBuffered.get()).isEqualTo(4);
            assertThat(d.daemon().config().toString()).doesNotContain("wrong-pw-123");
            d.stop();
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(lines - 1);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("HTTP 401"));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("wrong-pw-123"));
        assertThat(logs.list.stream().filter(e -> e.getFormattedMessage().contains("InfluxDB write")).count())
                .as("one warning per failure episode").isEqualTo(1);
    }

    @Test
    void influxDbStoppedMidRunAndRestartedWhileTheDaemonIngests() throws Exception {
        try (Influxd influx = Influxd.start(dir.resolve("influx"), null, null);
             LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            influx.createDatabase("eveflow");
            TestDaemon d = TestDaemon.start(dir, statsYaml(influx, "", "    buffer-points: 6\n    timeout: 500ms\n"),
                    TestDaemon.flags("1h", "alert"));
            Counters c = d.counters();
            await().atMost(Duration.ofSeconds(30)).until(() -> c.statsPointsWritten.sum() >= 4);
            influx.stop();
            int lines = feed(d, 3_000, 100);
            await().atMost(Duration.ofSeconds(30)).until(() -> c.linesReceived() == lines
                    && c.statsPointsDropped.sum() >= 10);
            long writtenWhileDown = c.statsPointsWritten.sum();
            influx.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> c.statsPointsWritten.sum() > writtenWhileDown + 6);
            d.stop();
            assertThat(c.linesDecoded.sum()).isEqualTo(lines - 1);
            assertFinalValuesInInflux(influx, d);
            long inInflux = influx.count("eveflow", "eveflow", "lines_received", "\"output\" = ''")
                    + influx.count("eveflow", "eveflow", "output_offered", "\"output\" = 'default'");
            // Every point counted written is in InfluxDB. A write that InfluxDB's stop cut off after it had
            // stored the points gets no answer and is counted dropped, so InfluxDB may hold up to one
            // write's points (buffer-points: 6) more than were counted written; never fewer.
            assertThat(inInflux).isBetween(c.statsPointsWritten.sum(), c.statsPointsWritten.sum() + 6);
            assertThat(c.statsPointsBuffered.get()).isZero();
            long samples = inInflux + c.statsPointsDropped.sum();
            assertThat(samples % 2).isZero(); // every report is a global and an output point, each written or dropped
        }
    }
}

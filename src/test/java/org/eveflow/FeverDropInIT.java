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
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eveflow started the way FEVER was: its command line, and its fever.yaml with add-fields. */
class FeverDropInIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String alert(int i) {
        return "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\",\"src_ip\":\"10.0.0.1\","
                + "\"alert\":{\"signature_id\":" + i + ",\"signature\":\"quote \\\" backslash \\\\ é\"}}";
    }

    @Test
    void feversCommandLineWorksUnchanged() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o", out.toString(), "-f", "1m0s",
                     "-t", "alert,stats", "--reconnect-retries", "5", "--logjson")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            FlowGen gen = new FlowGen(500, 21);
            List<String> forwarded = new ArrayList<>();
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 20_000; i++) {
                    w.line(gen.next());
                    if (i % 100 == 0) {
                        String a = alert(i);
                        String s = "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"stats\",\"stats\":{\"n\":" + i + "}}";
                        w.line(a).line(s).line("{\"event_type\":\"dns\",\"n\":" + i + "}");
                        forwarded.add(a);
                        forwarded.add(s);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("lines_received=20600"));
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(gen.expected()));
            assertThat(sink.lines().stream().filter(l -> !Aggregates.isAggregate(l)).toList())
                    .containsExactlyElementsOf(forwarded);
            for (String line : p.output().split("\n")) {
                if (!line.isBlank()) {
                    assertThat(JSON.readTree(line).has("message")).as("a JSON log line: %s", line).isTrue();
                }
            }
        }
    }

    @Test
    void feversConfigFileWithTwoOutputsAndAddFields() throws Exception {
        Path in = dir.resolve("in.sock");
        Path alerts = dir.resolve("alerts.sock");
        Path all = dir.resolve("all.sock");
        Path log = dir.resolve("eveflow.log");
        Path cfg = dir.resolve("fever.yaml");
        Files.writeString(cfg, "input:\n  socket: " + in + "\n  buffer: 500000\n  buffer-drop: true\n"
                + "flushtime: 1h\nreconnect-retries: 5\n"
                + "multi-forward:\n"
                + "  socketalerts:\n    socket: " + alerts + "\n    all: false\n    buffer-length: 100000\n"
                + "    types:\n      - alert\n"
                + "  everything:\n    socket: " + all + "\n    all: true\n    buffer-length: 100000\n"
                + "add-fields:\n  sensor-id: \"s \\\"7\\\" \\\\ ü\"\n  site: hq\n"
                + "logging:\n  file: " + log + "\n  json: false\n"
                + "pdns:\n  enable: false\nflowreport:\n  interval: 0\ndatabase:\n  enable: false\n"
                + "mgmt:\n  socket: /tmp/fever-mgmt.sock\n");
        String suffix = ",\"sensor-id\":\"s \\\"7\\\" \\\\ ü\",\"site\":\"hq\"";
        try (LineSink a = new LineSink(alerts); LineSink b = new LineSink(all);
             DaemonProcess p = DaemonProcess.start(dir, "run", "--config", cfg.toString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            FlowGen gen = new FlowGen(300, 22);
            List<String> sentAlerts = new ArrayList<>();
            List<String> sentAll = new ArrayList<>();
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 5_000; i++) {
                    String flow = gen.next();
                    w.line(flow);
                    sentAll.add(flow);
                    if (i % 50 == 0) {
                        String alert = alert(i);
                        String own = "{\"event_type\":\"alert\",\"site\":\"its own\",\"n\":" + i + "}";
                        w.line(alert).line(own);
                        sentAlerts.add(alert);
                        sentAlerts.add(own);
                        sentAll.add(alert);
                        sentAll.add(own);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("lines_received=5200"));
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            String logText = Files.readString(log);
            assertThat(logText).contains("read as FEVER's fever.yaml", "FEVER section 'pdns' is disabled and ignored",
                    "input.buffer (FEVER's input queue) has no meaning", "eveflow stopped");
            assertThat(p.output()).doesNotContain("eveflow started"); // the log went to the file

            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(withoutAddedFields(a.lines(), suffix))
                    .equals(gen.expected()) && Aggregates.sum(withoutAddedFields(b.lines(), suffix)).equals(gen.expected()));
            checkForwarded(a.lines(), sentAlerts, suffix);
            checkForwarded(b.lines(), sentAll, suffix);
        }
    }

    /** Forwarded lines are the sent ones with the fields inserted before the last '}', once; valid JSON. */
    private static void checkForwarded(List<String> received, List<String> sent, String suffix) throws Exception {
        List<String> raw = received.stream().filter(l -> !Aggregates.isAggregate(l)).toList();
        assertThat(raw).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            String s = sent.get(i);
            String r = raw.get(i);
            JsonNode n = JSON.readTree(r);
            assertThat(n.get("sensor-id").asText()).isEqualTo("s \"7\" \\ ü");
            if (s.contains("\"site\":\"its own\"")) {
                assertThat(n.get("site").asText()).isEqualTo("its own"); // the event's own value wins
                assertThat(r.split("\"site\"", -1)).hasSize(2);
                int close = s.lastIndexOf('}');
                assertThat(r).isEqualTo(s.substring(0, close) + ",\"sensor-id\":\"s \\\"7\\\" \\\\ ü\"" + s.substring(close));
            } else {
                int close = s.lastIndexOf('}');
                assertThat(r).isEqualTo(s.substring(0, close) + suffix + s.substring(close));
            }
        }
        for (String agg : received.stream().filter(Aggregates::isAggregate).toList()) {
            assertThat(agg).endsWith(suffix + "}");
        }
    }

    /** Aggregates with the added fields taken off again, for {@link Aggregates#sum}'s exact field check. */
    private static List<String> withoutAddedFields(List<String> lines, String suffix) {
        return lines.stream().filter(Aggregates::isAggregate).map(l -> l.replace(suffix + "}", "}")).toList();
    }
}

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
import org.eveflow.testing.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eveflow started the way FEVER was: its command line (and Debian's /etc/default/fever), and its
 * fever.yaml with add-fields; FEVER's reconnect-retries as a time budget.
 */
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
            long flushedFlows = 0;
            for (String line : p.output().split("\n")) {
                if (!line.isBlank()) {
                    JsonNode n = JSON.readTree(line);
                    assertThat(n.has("level") && n.has("msg") && n.has("time")).as("FEVER's log keys: %s", line).isTrue();
                    assertThat(n.get("msg").asText()).doesNotContain("{}");
                    assertThat(n.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)");
                    if (n.get("msg").asText().equals("flushing events")) {
                        assertThat(n.get("level").asText()).isEqualTo("info");
                        assertThat(n.get("agg_flows").asLong()).isLessThanOrEqualTo(n.get("in_flows").asLong());
                        flushedFlows += n.get("in_flows").asLong();
                    }
                }
            }
            assertThat(flushedFlows).isEqualTo(20_000); // the final flush's line counts every flow
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
                + "    aggregates: true\n"
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

            // aggregates only where asked (aggregates: true), as FEVER never writes them to a forwarding socket
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    Aggregates.sum(withoutAddedFields(b.lines(), suffix)).equals(gen.expected()));
            assertThat(a.lines()).noneMatch(Aggregates::isAggregate);
            checkForwarded(a.lines(), sentAlerts, suffix);
            checkForwarded(b.lines(), sentAll, suffix);
        }
    }

    @Test
    void debiansDefaultArgumentsStartEveflow() throws Exception {
        Required.binary("/usr/bin/fever", "fever (Debian's package, for /etc/default/fever)");
        String line = Files.readAllLines(Path.of("/etc/default/fever")).stream()
                .filter(l -> l.startsWith("FEVER_ARGS=")).findFirst().orElseThrow();
        List<String> args = new ArrayList<>(List.of("run"));
        for (String a : line.substring("FEVER_ARGS=".length()).replace("\"", "").trim().split("\\s+")) {
            args.add(a);
        }
        // the package's log file and sockets, moved into this test's directory (the only change)
        Path log = dir.resolve("fever.log");
        int at = args.indexOf("--logfile");
        assertThat(at).as("Debian's FEVER_ARGS: %s", args).isPositive();
        args.set(at + 1, log.toString());
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        args.addAll(List.of("-i", in.toString(), "-o", out.toString()));
        try (LineSink sink = new LineSink(out); DaemonProcess p = DaemonProcess.start(dir, args.toArray(String[]::new))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            FlowGen gen = new FlowGen(200, 5);
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 3_000; i++) {
                    w.line(gen.next());
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("lines_received=3000"));
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(gen.expected()));
            assertThat(Files.readString(log)).contains("FEVER flags accepted without effect in eveflow: "
                    + "--flowreport-interval").contains("level=info msg=\"flushing events\" agg_flows=");
        }
    }

    @Test
    void anOutageShorterThanTheRetryBudgetLosesNothing() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        List<String> sent = new ArrayList<>();
        LineSink first = new LineSink(out);
        try (DaemonProcess p = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o", out.toString(), "-f", "1h",
                "-t", "alert", "--reconnect-retries", "1")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 100; i++) {
                    sent.add(alert(i));
                    w.line(alert(i));
                }
                w.flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> first.lineCount() == 100);
                first.close(); // the reader goes away (a Logstash restart)
                await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("connection to " + out + " lost"));
                for (int i = 100; i < 300; i++) {
                    sent.add(alert(i));
                    w.line(alert(i));
                }
            }
            List<String> received = new ArrayList<>(first.lines());
            try (LineSink second = new LineSink(out)) { // back well within reconnect-retries 1 = 10 s
                await().atMost(Duration.ofSeconds(30)).until(() -> second.lineCount() == 200);
                received.addAll(second.lines());
                p.sigterm();
                assertThat(p.waitFor(60)).as(p.output()).isZero();
            }
            assertThat(received).containsExactlyElementsOf(sent);
            assertThat(p.output()).doesNotContain("disabled:").contains("output_disabled=0");
        }
    }

    @Test
    void aSpentRetryBudgetStopsEveflowWithExitCodeOneAsFeverDoes() throws Exception {
        Path in = dir.resolve("in.sock");
        long started = System.nanoTime();
        try (DaemonProcess p = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o",
                dir.resolve("nobody.sock").toString(), "-f", "1h", "--reconnect-retries", "1")) {
            int code = p.waitFor(60);
            assertThat(code).as(p.output()).isEqualTo(1);
            assertThat(System.nanoTime() - started).as("1 retry = 10 s of attempts").isGreaterThan(10_000_000_000L);
            assertThat(p.output()).contains("permanent error connecting to output socket: ",
                    "(output default disabled: connecting to", "reconnect-retries 1 = 10 s",
                    "stopping with exit code 1", "eveflow stopped");
            assertThat(Files.exists(in)).as("the socket file is removed on the way out").isFalse();
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

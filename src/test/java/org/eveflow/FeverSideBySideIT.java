package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.Required;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real FEVER 1.3.7 (Debian's package) and eveflow, one after the other, with the same fever.yaml
 * (multi-forward with a type filter and an all-types output, add-fields with a name FEVER's config
 * library lowercases) and the same generated mixed stream: each output receives the same lines, byte
 * for byte and in order. One added field only: FEVER writes several in Go's random map order.
 */
class FeverSideBySideIT {
    private static final String FEVER = "/usr/bin/fever";

    @TempDir
    Path dir;

    @BeforeAll
    static void feverPresent() {
        Required.binary(FEVER, "fever (bookworm-backports)");
    }

    /** A seeded mixed stream as Suricata writes it: flows (with ICMP), alerts, dns, http, tls, stats. */
    private static List<String> stream(int n) {
        FlowGen flows = new FlowGen(400, 31);
        SplittableRandom r = new SplittableRandom(7);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ts = "\"timestamp\":\"2026-12-04T10:00:" + String.format("%02d", i % 60) + ".123456+0000\"";
            String ips = "\"src_ip\":\"10.0." + r.nextInt(4) + "." + r.nextInt(250) + "\",\"src_port\":"
                    + (1024 + r.nextInt(60_000)) + ",\"dest_ip\":\"192.0.2." + r.nextInt(20) + "\",\"dest_port\":";
            lines.add(switch (i % 8) {
                case 0 -> "{" + ts + ",\"flow_id\":" + i + ",\"event_type\":\"alert\"," + ips + "443,\"proto\":\"TCP\","
                        + "\"alert\":{\"action\":\"allowed\",\"signature_id\":" + (2_000_000 + i)
                        + ",\"signature\":\"ET \\\"quoted\\\" \\\\ back ünïcode <tag> & co\",\"severity\":2}}";
                case 1 -> "{" + ts + ",\"event_type\":\"dns\"," + ips + "53,\"proto\":\"UDP\",\"dns\":{\"type\":\"query\","
                        + "\"id\":" + r.nextInt(65_536) + ",\"rrname\":\"host" + i + ".example.org\",\"rrtype\":\"A\"}}";
                case 2 -> "{" + ts + ",\"event_type\":\"http\"," + ips + "80,\"proto\":\"TCP\",\"http\":{\"hostname\":"
                        + "\"www.example.com\",\"url\":\"/a?b=" + i + "&c=%20\",\"http_user_agent\":\"curl/8\"}}";
                case 3 -> "{" + ts + ",\"event_type\":\"tls\"," + ips + "443,\"proto\":\"TCP\",\"tls\":{\"sni\":\"x" + i
                        + ".example.net\",\"version\":\"TLS 1.3\"}}";
                case 4 -> "{" + ts + ",\"event_type\":\"stats\",\"stats\":{\"uptime\":" + i
                        + ",\"capture\":{\"kernel_packets\":" + (i * 100L) + ",\"kernel_drops\":0}}}";
                default -> flows.next();
            });
        }
        return lines;
    }

    private static final String ADDED = ",\"sensor-id\":\"sensor-7\"";

    private String config(Path in) {
        return "input:\n  socket: " + in + "\n  buffer: 500000\n  buffer-drop: false\n"
                + "flushtime: 1m\n"
                + "multi-forward:\n"
                + "  siem:\n    socket: " + dir.resolve("siem.sock") + "\n    all: false\n    buffer-length: 100000\n"
                + "    types:\n      - alert\n      - dns\n"
                + "  everything:\n    socket: " + dir.resolve("all.sock") + "\n    all: true\n    buffer-length: 100000\n"
                + "add-fields:\n  Sensor-ID: sensor-7\n"
                + "pdns:\n  enable: false\nflowreport:\n  interval: 0\ndatabase:\n  enable: false\n"
                + "mgmt:\n  socket: " + dir.resolve("mgmt.sock") + "\n";
    }

    /** What one reader received: the siem and all-types outputs' lines. */
    private record Received(List<String> siem, List<String> all) {
    }

    private Received runOnce(List<String> command, Path in, List<String> lines, int siemExpected) throws Exception {
        return runOnce(command, in, lines, siemExpected, () -> true);
    }

    /** As above; the reader is stopped once {@code done} holds too. */
    private Received runOnce(List<String> command, Path in, List<String> lines, int siemExpected,
            java.util.concurrent.Callable<Boolean> done) throws Exception {
        try (LineSink siem = new LineSink(dir.resolve("siem.sock")); LineSink all = new LineSink(dir.resolve("all.sock"))) {
            Path log = Files.createTempFile(dir, "reader-", ".log");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
                assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
                // both readers connect their outputs at start; wait for them before sending
                await().atMost(Duration.ofSeconds(30)).until(() -> siem.accepted() >= 1 && all.accepted() >= 1);
                try (EveWriter w = new EveWriter(in)) {
                    for (String l : lines) {
                        w.line(l);
                    }
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> all.lineCount() >= lines.size()
                        && siem.lineCount() >= siemExpected && done.call());
                p.destroy();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                return new Received(siem.lines(), all.lines());
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                Files.deleteIfExists(in);
            }
        }
    }

    @Test
    void feverAndEveflowForwardTheSameBytesInTheSameOrder() throws Exception {
        Path in = dir.resolve("in.sock");
        Path cfg = dir.resolve("fever.yaml");
        Files.writeString(cfg, config(in));
        List<String> lines = stream(8_000);
        List<String> expectedAll = lines.stream().map(FeverSideBySideIT::withAdded).toList();
        List<String> expectedSiem = lines.stream()
                .filter(l -> l.contains("\"event_type\":\"alert\"") || l.contains("\"event_type\":\"dns\""))
                .map(FeverSideBySideIT::withAdded).toList();

        Received fever = runOnce(List.of(FEVER, "run", "--config", cfg.toString(),
                "--mgmt-socket", dir.resolve("mgmt.sock").toString()), in, lines, expectedSiem.size());
        Received eveflow = runOnce(List.of(DaemonProcess.javaCommand(), "-Xmx256m", "-jar", DaemonProcess.jar().toString(),
                "run", "--config", cfg.toString(), "--mgmt-socket", dir.resolve("mgmt.sock").toString()), in, lines,
                expectedSiem.size());

        assertThat(fever.all()).as("FEVER's all-types output").containsExactlyElementsOf(expectedAll);
        assertThat(fever.siem()).as("FEVER's alert,dns output").containsExactlyElementsOf(expectedSiem);
        assertThat(eveflow.all()).as("eveflow's all-types output, byte for byte as FEVER's")
                .containsExactlyElementsOf(fever.all());
        assertThat(eveflow.siem()).as("eveflow's alert,dns output, byte for byte as FEVER's")
                .containsExactlyElementsOf(fever.siem());
    }

    /**
     * FEVER's log monitors keep working: with {@code --logfile} (logrus's text lines) and with
     * {@code --logjson} too, each reader's flush lines have the same level, message and keys, and
     * between them count every flow of the stream ({@code in_flows}).
     */
    @Test
    void feversLogAndEveflowsHaveTheSameShape() throws Exception {
        Path in = dir.resolve("in.sock");
        Path cfg = dir.resolve("fever.yaml");
        Files.writeString(cfg, config(in));
        List<String> lines = stream(4_000);
        long flows = lines.stream().filter(l -> l.contains("\"event_type\":\"flow\"")).count();
        int siem = (int) lines.stream().filter(l -> l.contains("\"event_type\":\"alert\"")
                || l.contains("\"event_type\":\"dns\"")).count();
        for (boolean json : new boolean[] {false, true}) {
            java.util.Map<String, List<java.util.Map<String, String>>> flushes = new java.util.LinkedHashMap<>();
            for (String reader : List.of("fever", "eveflow")) {
                Path log = dir.resolve(reader + (json ? ".json" : ".log"));
                List<String> command = new ArrayList<>(reader.equals("fever") ? List.of(FEVER)
                        : List.of(DaemonProcess.javaCommand(), "-Xmx256m", "-jar", DaemonProcess.jar().toString()));
                command.addAll(List.of("run", "--config", cfg.toString(), "--mgmt-socket",
                        dir.resolve("mgmt.sock").toString(), "-f", "1s", "--logfile", log.toString()));
                if (json) {
                    command.add("--logjson");
                }
                runOnce(command, in, lines, siem, () -> flushLines(log, json).stream()
                        .mapToLong(f -> Long.parseLong(f.get("in_flows"))).sum() >= flows);
                flushes.put(reader, flushLines(log, json));
            }
            for (String reader : flushes.keySet()) {
                assertThat(flushes.get(reader).stream().mapToLong(f -> Long.parseLong(f.get("in_flows"))).sum())
                        .as(reader + "'s in_flows, json " + json).isEqualTo(flows);
            }
            java.util.Map<String, String> fever = flushes.get("fever").get(0);
            java.util.Map<String, String> eveflow = flushes.get("eveflow").get(0);
            assertThat(eveflow.keySet()).as("keys of a flush line, json " + json).isEqualTo(fever.keySet());
            for (String k : List.of("level", "msg", "domain")) {
                assertThat(eveflow.get(k)).as(k).isEqualTo(fever.get(k));
            }
        }
    }

    /** The non-empty flush lines of a log, each as its keys (in order) and values. */
    private static List<java.util.Map<String, String>> flushLines(Path log, boolean json) throws java.io.IOException {
        List<java.util.Map<String, String>> out = new ArrayList<>();
        if (!Files.exists(log)) {
            return out;
        }
        for (String line : Files.readAllLines(log)) {
            if (!line.contains("flushing events")) {
                continue;
            }
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            if (json) {
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(line).fields()
                        .forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
            } else {
                java.util.regex.Matcher kv = java.util.regex.Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)")
                        .matcher(line);
                while (kv.find()) {
                    m.put(kv.group(1), kv.group(2).replaceAll("^\"|\"$", ""));
                }
            }
            if (!"0".equals(m.get("in_flows"))) {
                out.add(m);
            }
        }
        return out;
    }

    /** The line with FEVER's add-fields before its last brace (the name lowercased, as FEVER's viper does). */
    private static String withAdded(String line) {
        int close = line.lastIndexOf('}');
        return line.substring(0, close) + ADDED + line.substring(close);
    }
}

package org.eveflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Suricata reading captures offline with two eve-log outputs: a regular file and
 * {@code unix_stream} into eveflow's input socket. {@link Version#SURICATA_7} is Debian 12's package on
 * this machine, {@link Version#SURICATA_8} Debian 13's (trixie-backports) in the {@link Debian13Root},
 * on the same files (the root shares the temporary directory). Outside CI a missing Suricata 7 skips
 * the test; in CI (CI set) it fails it; a Debian 13 root that cannot be made always fails it.
 */
public final class Suricata {
    public static final String BINARY = "/usr/bin/suricata";
    private static final String TYPES = "[alert, flow, dns, http, tls]";

    private Suricata() {
    }

    /** Which Suricata runs: 7.0 on this Debian 12 machine, or 8.0 in the Debian 13 root. */
    public enum Version {
        SURICATA_7, SURICATA_8;

        /** Fails (or, for 7 outside CI, skips) unless this Suricata can run. */
        public void require() throws IOException, InterruptedException {
            if (this == SURICATA_7) {
                requireInstalled();
            } else {
                Debian13Root.require();
            }
        }

        /** The command line that runs this Suricata with {@code args}. */
        public List<String> command(String... args) {
            if (this == SURICATA_7) {
                List<String> cmd = new ArrayList<>(List.of(BINARY));
                cmd.addAll(List.of(args));
                return cmd;
            }
            String[] inRoot = new String[args.length + 1];
            inRoot[0] = BINARY;
            System.arraycopy(args, 0, inRoot, 1, args.length);
            return Debian13Root.command(inRoot);
        }

        /** Its major version, as its records' and stats' shapes differ by it. */
        public int major() {
            return this == SURICATA_7 ? 7 : 8;
        }

        @Override
        public String toString() {
            return "Suricata " + major();
        }
    }

    /** Kills a Suricata started here and whatever it runs through (the Debian 13 root's launcher). */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    public static void requireInstalled() {
        Required.binary(BINARY, "suricata");
    }

    public static String version() throws Exception {
        return version(Version.SURICATA_7);
    }

    public static String version(Version v) throws Exception {
        Process p = new ProcessBuilder(v.command("-V")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** The app-layer protocols the captures use, on their ports. */
    static final String APP_LAYER = "app-layer:\n  protocols:\n    http:\n      enabled: yes\n"
            + "    tls:\n      enabled: yes\n      detection-ports:\n        dp: 443\n"
            + "    dns:\n      udp:\n        enabled: yes\n        detection-ports:\n          dp: 53\n";

    /** The start of a suricata.yaml: the captures' networks and ports, logs into {@code log}, notices on the console. */
    static String header(Path log) {
        return "%YAML 1.1\n---\n"
                + "vars:\n  address-groups:\n    HOME_NET: \"[10.0.0.0/8,192.168.0.0/16,2001:db8::/32]\"\n"
                + "    EXTERNAL_NET: \"any\"\n  port-groups:\n    HTTP_PORTS: \"80\"\n"
                + "default-log-dir: " + log + "\n"
                + "logging:\n  default-log-level: notice\n  outputs:\n    - console:\n        enabled: yes\n";
    }

    /**
     * The eve types for {@code v}: Suricata 8's tls records with {@code ja4} (its JA4 fingerprint) too;
     * 7 is left with its default tls fields.
     */
    public static String types(Version v) {
        return v.major() >= 8 ? "[alert, flow, dns, http, {tls: {custom: [subject, issuer, sni, version, ja3, ja4]}}]"
                : TYPES;
    }

    /** Writes suricata.yaml into {@code dir}: eve.json in {@code dir/log} and the socket output. */
    public static Path writeConfig(Path dir, Path socket, String extra) throws IOException {
        return writeConfig(dir, socket, extra, TYPES);
    }

    /** As {@link #writeConfig(Path, Path, String)}, with these eve types in both outputs. */
    public static Path writeConfig(Path dir, Path socket, String extra, String types) throws IOException {
        Path log = Files.createDirectories(dir.resolve("log"));
        String yaml = header(log)
                + "outputs:\n"
                + "  - eve-log:\n      enabled: yes\n      filetype: regular\n      filename: " + log.resolve("eve.json")
                + "\n      types: " + types + "\n"
                + "  - eve-log:\n      enabled: yes\n      filetype: unix_stream\n      filename: " + socket
                + "\n      types: " + types + "\n"
                + APP_LAYER
                + extra;
        Path cfg = dir.resolve("suricata.yaml");
        Files.writeString(cfg, yaml);
        Files.writeString(dir.resolve("local.rules"), CaptureScenario.RULES);
        return cfg;
    }

    /** Starts Suricata 7 on a capture file or (continuous mode) a directory; output goes to dir/suricata.out. */
    public static Process start(Path dir, Path cfg, Path pcap, String... extraArgs) throws IOException {
        return start(Version.SURICATA_7, dir, cfg, pcap, extraArgs);
    }

    /** Starts {@code v} on a capture file or (continuous mode) a directory; output goes to dir/suricata.out. */
    public static Process start(Version v, Path dir, Path cfg, Path pcap, String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("-c", cfg.toString(), "-r", pcap.toString(),
                "-S", dir.resolve("local.rules").toString(), "-l", dir.resolve("log").toString(), "-k", "none",
                "--runmode", "single"));
        args.addAll(List.of(extraArgs));
        return new ProcessBuilder(v.command(args.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(dir.resolve("suricata.out").toFile()).start();
    }

    /** The records of Suricata's file output, in order. */
    public static List<JsonNode> fileRecords(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("log").resolve("eve.json"))) {
            out.add(Aggregates.parse(line));
        }
        return out;
    }

    /** A record without its top-level timestamp (each eve-log output stamps records on its own). */
    public static JsonNode withoutTimestamp(JsonNode record) {
        ObjectNode copy = record.deepCopy();
        copy.remove("timestamp");
        return copy;
    }

    /** Aggregates computed independently from flow records, the way FEVER defines them. */
    public static Map<FlowGen.Key, FlowGen.Sums> aggregate(List<JsonNode> records) {
        Map<FlowGen.Key, FlowGen.Sums> m = new HashMap<>();
        for (JsonNode r : records) {
            if (!"flow".equals(r.path("event_type").asText())) {
                continue;
            }
            FlowGen.Key k = new FlowGen.Key(r.get("src_ip").asText(), r.get("dest_ip").asText(),
                    r.path("dest_port").asInt(0));
            FlowGen.Sums s = m.computeIfAbsent(k, x -> new FlowGen.Sums());
            JsonNode f = r.get("flow");
            s.flowCount++;
            s.pktsToServer += f.get("pkts_toserver").asLong();
            s.pktsToClient += f.get("pkts_toclient").asLong();
            s.bytesToServer += f.get("bytes_toserver").asLong();
            s.bytesToClient += f.get("bytes_toclient").asLong();
            s.addPort(r.path("src_port").asInt(0));
        }
        return m;
    }
}

package org.eveflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Suricata (7 on this machine, or 8 in the Debian 13 root) capturing live with af-packet in a network namespace of its own, fed by tcpreplay
 * over a veth pair from the host side (as src/bench/live-suricata.sh does), writing its eve-log into
 * a Unix socket, with its stats records every second (totals and per thread). Root only. {@link
 * #close} stops Suricata and removes the namespace and the veth pair.
 */
public final class LiveSuricata implements AutoCloseable {
    public static final String TCPREPLAY = "/usr/bin/tcpreplay";
    private final Path dir;
    private final String ns;
    private final String hostIf;
    private final String sensorIf;
    private final Suricata.Version version;
    private Process suricata;

    private LiveSuricata(Path dir, int id, Suricata.Version version) {
        this.dir = dir;
        this.version = version;
        this.ns = "evf" + id;
        this.hostIf = "evfh" + id;
        this.sensorIf = "evfs" + id;
    }

    public static void requireInstalled(Suricata.Version version) throws IOException, InterruptedException {
        version.require();
        Required.binary(TCPREPLAY, "tcpreplay");
        Required.binary("/usr/sbin/ip", "iproute2");
        Required.root("a network namespace with a live Suricata");
    }

    /** Creates the namespace and veth pair, starts Suricata in it and waits until its engine runs. */
    public static LiveSuricata start(Suricata.Version version, Path dir, Path eveSocket, String eveTypes) throws Exception {
        LiveSuricata s = new LiveSuricata(Files.createDirectories(dir), (int) (ProcessHandle.current().pid() % 100_000),
                version);
        try {
            s.network();
            s.startSuricata(eveSocket, eveTypes);
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void network() throws Exception {
        run("ip", "netns", "del", ns); // a leftover of a killed run
        run("ip", "link", "del", hostIf);
        check("ip", "netns", "add", ns);
        check("ip", "link", "add", hostIf, "type", "veth", "peer", "name", sensorIf);
        check("ip", "link", "set", sensorIf, "netns", ns);
        check("ip", "link", "set", hostIf, "up");
        check("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        check("ip", "netns", "exec", ns, "ip", "link", "set", sensorIf, "up");
    }

    private void startSuricata(Path eveSocket, String eveTypes) throws Exception {
        Path log = Files.createDirectories(dir.resolve("log"));
        String yaml = Suricata.header(log)
                + "af-packet:\n  - interface: " + sensorIf + "\n    threads: 1\n    cluster-id: 97\n"
                + "    cluster-type: cluster_flow\n    use-mmap: yes\n    tpacket-v3: yes\n"
                + "stats:\n  enabled: yes\n  interval: 1\n"
                + "outputs:\n  - eve-log:\n      enabled: yes\n      filetype: unix_stream\n      filename: " + eveSocket
                + "\n      types: " + eveTypes + "\n"
                + Suricata.APP_LAYER;
        Path cfg = dir.resolve("suricata.yaml");
        Files.writeString(cfg, yaml);
        Files.writeString(dir.resolve("local.rules"), CaptureScenario.RULES);
        Path out = dir.resolve("suricata.out");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("ip", "netns", "exec", ns));
        cmd.addAll(version.command("-c", cfg.toString(), "--af-packet=" + sensorIf, "-S",
                dir.resolve("local.rules").toString(), "-l", log.toString(), "-k", "none"));
        suricata = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!suricata.isAlive()) {
                throw new AssertionError("suricata exited: " + Files.readString(out));
            }
            return Files.readString(out).contains("Engine started");
        });
    }

    /** Replays the capture into the sensor's interface at {@code pps} packets per second; returns the packets sent. */
    public long replay(Path pcap, int pps) throws Exception {
        Process p = new ProcessBuilder(TCPREPLAY, "-i", hostIf, "--pps=" + pps, pcap.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("tcpreplay failed: " + out);
        }
        for (String line : out.split("\n")) {
            String l = line.trim();
            if (l.startsWith("Successful packets:")) {
                return Long.parseLong(l.substring("Successful packets:".length()).trim());
            }
        }
        throw new AssertionError("tcpreplay said no packet count: " + out);
    }

    /** What Suricata wrote to its console so far. */
    public String output() throws IOException {
        return Files.readString(dir.resolve("suricata.out"));
    }

    @Override
    public void close() throws Exception {
        if (suricata != null && suricata.isAlive()) {
            suricata.destroy(); // SIGTERM to ip netns exec, which is replaced by suricata (or the root's launcher)
            if (!suricata.waitFor(30, TimeUnit.SECONDS)) {
                Suricata.kill(suricata);
                suricata.waitFor(10, TimeUnit.SECONDS);
            }
        }
        run("ip", "link", "del", hostIf);
        run("ip", "netns", "del", ns);
    }

    /** What a command did: whether it exited 0 within 30 s, and its output. */
    private record Ran(boolean ok, String output) {
    }

    private static Ran run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Ran(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    private static void check(String... cmd) throws Exception {
        Ran r = run(cmd);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + r.output());
        }
    }
}

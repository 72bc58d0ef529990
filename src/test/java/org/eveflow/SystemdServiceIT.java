package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.eveflow.testing.SystemdRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package's units under a real systemd 252 as PID 1, installed by dpkg: socket activation,
 * Type=notify (READY=1, STATUS=), reload, the watchdog, and restarts that Suricata does not notice: a writer that behaves as Suricata's eve-log (one connection; a failed write
 * is a dropped record and a reconnect after 0.5 s) sends flows at 8,000 lines/s through a
 * {@code systemctl restart} and through a package upgrade (postinst's try-restart): it never sees its
 * connection fail, and the reader downstream gets every flow exactly once (flow_count summed). A plain
 * {@code systemctl stop} closes the connection as before, after reading it to EOF.
 */
class SystemdServiceIT {
    private static final int LINES = 80_000;
    private static final int RATE = 8_000;
    private static final String EVE = "/run/eveflow/eve.sock";
    private static final String FORWARD = "/run/eveflow-forward/forward.sock";
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TempDir
    static Path tmp;
    static SystemdRoot root;

    @BeforeAll
    static void bootAndInstall() throws Exception {
        Path deb;
        try (var files = Files.list(Path.of("target"))) {
            deb = files.filter(f -> f.getFileName().toString().matches("eveflow_.*_all\\.deb")).findFirst().orElseThrow();
        }
        root = SystemdRoot.boot(tmp.resolve("root"));
        Files.copy(deb, root.path("/root/eveflow.deb"));
        for (String script : new String[] {"writer.py", "reader.py"}) {
            Files.copy(Path.of("src/test/resources/org/eveflow/systemd", script), root.path("/root/" + script));
        }
        root.check("dpkg", "-i", "/root/eveflow.deb");
        Path config = root.path("/etc/eveflow/eveflow.yaml");
        Files.writeString(config, Files.readString(config).replace("  flushtime: 1m\n", "  flushtime: 1s\n"));
        assertThat(root.check("systemctl", "is-active", "eveflow.socket").trim()).isEqualTo("active");
    }

    @AfterAll
    static void halt() throws Exception {
        if (root != null) {
            root.close();
        }
    }

    private int run;

    @BeforeEach
    void freshReaderAndDaemon() throws Exception {
        run = RUNS.incrementAndGet();
        root.run("systemctl", "stop", "reader-*.service");
        root.check("systemctl", "restart", "eveflow.service");
        root.check("systemd-run", "--unit=reader-" + run, "--service-type=exec", "/usr/bin/python3",
                "/root/reader.py", FORWARD);
        await().atMost(Duration.ofSeconds(30)).until(() -> root.run("test", "-S", FORWARD).exitCode() == 0);
    }

    /** Starts the writer; its result ("sent dropped reconnects") lands in the returned file. */
    private Path startWriter(String... pause) throws Exception {
        String out = "/root/writer-" + run + ".out";
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("systemd-run", "--unit=writer-" + run,
                "--service-type=exec", "/usr/bin/python3", "/root/writer.py", EVE, Integer.toString(LINES),
                Integer.toString(RATE), out));
        command.addAll(java.util.List.of(pause));
        root.check(command.toArray(String[]::new));
        return root.path(out);
    }

    private String mainPid() throws Exception {
        return root.check("systemctl", "show", "-p", "MainPID", "--value", "eveflow.service").trim();
    }

    /** Flows the reader has summed so far. */
    private long flows() throws Exception {
        SystemdRoot.Result r = root.run("cat", FORWARD + ".count");
        return r.exitCode() == 0 ? Long.parseLong(r.output().trim().split(" ")[0]) : 0;
    }

    private String journal() throws Exception {
        return root.check("journalctl", "-u", "eveflow.service", "-o", "cat", "--no-pager");
    }

    private void restartsWithoutALostOrRepeatedLine(String... restart) throws Exception {
        String before = journal();
        Path result = startWriter();
        await().atMost(Duration.ofSeconds(30)).until(() -> flows() > 0); // the first flush of this stream
        root.check(restart);
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(result));
        assertThat(Files.readString(result).trim()).as("sent, dropped, reconnects").isEqualTo(LINES + " 0 0");
        await().atMost(Duration.ofSeconds(30)).until(() -> flows() >= LINES);
        assertThat(flows()).isEqualTo(LINES);
        String log = journal().substring(before.length());
        assertThat(log).contains("restart: 1 input connections handed to the next instance through systemd's fd store",
                "took input connection eveflow-conn-").doesNotContainPattern("lines_malformed=[1-9]");
    }

    @Test
    void aRestartHandsTheConnectionToTheNextInstance() throws Exception {
        restartsWithoutALostOrRepeatedLine("systemctl", "restart", "eveflow.service");
    }

    @Test
    void aPackageUpgradeHandsTheConnectionToTheNextInstance() throws Exception {
        restartsWithoutALostOrRepeatedLine("dpkg", "-i", "/root/eveflow.deb");
    }

    /**
     * kill -9 under systemd: the connection, kept in the fd store since it was accepted, stays open
     * through the automatic restart and the next instance takes it. What the killed one had flushed is
     * delivered; the line it was in the middle of is cut (its rest counted malformed); nothing else is
     * lost here because the writer paused, half a line sent, until that flush (in general what a crash
     * loses is what the instance had read since its last flush).
     */
    @Test
    void aCrashLeavesTheConnectionToTheNextInstance() throws Exception {
        int pauseAt = 20_000;
        String before = journal();
        long restarts = Long.parseLong(root.check("systemctl", "show", "-p", "NRestarts", "--value",
                "eveflow.service").trim());
        String resume = "/root/resume-" + run;
        Path result = startWriter(Integer.toString(pauseAt), resume);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(root.path("/root/writer-" + run + ".out.paused"))
                && flows() == pauseAt);
        String pid = mainPid();
        root.check("systemctl", "kill", "--kill-who=main", "--signal=SIGKILL", "eveflow.service");
        Files.createFile(root.path(resume)); // the rest arrives while systemd restarts eveflow (RestartSec=2)
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(result));
        assertThat(Files.readString(result).trim()).as("sent, dropped, reconnects").isEqualTo(LINES + " 0 0");
        await().atMost(Duration.ofSeconds(30)).until(() -> flows() >= LINES - 1);
        assertThat(mainPid()).isNotEqualTo(pid);
        assertThat(Long.parseLong(root.check("systemctl", "show", "-p", "NRestarts", "--value", "eveflow.service")
                .trim())).as("restarted by systemd").isEqualTo(restarts + 1);
        root.check("systemctl", "stop", "eveflow.service"); // the final counters
        assertThat(flows()).as("every line but the one cut by the crash, none twice").isEqualTo(LINES - 1);
        assertThat(journal().substring(before.length()))
                .contains("was left open by a previous instance that ended without a stop")
                .containsPattern("connections_adopted_after_crash=1\\b").containsPattern("lines_malformed=1\\b");
    }

    @Test
    void aPlainStopReadsToEofAndClosesTheConnection() throws Exception {
        String before = journal();
        Path result = startWriter();
        await().atMost(Duration.ofSeconds(30)).until(() -> flows() > 0);
        root.check("systemctl", "stop", "eveflow.service"); // the socket stays: the writer's reconnect starts it
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(result));
        String[] r = Files.readString(result).trim().split(" ");
        long sent = Long.parseLong(r[0]);
        assertThat(Long.parseLong(r[1])).as("records the writer dropped while its connection was gone").isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> flows() >= sent);
        assertThat(flows()).as("every line the writer sent, none twice").isEqualTo(sent);
        assertThat(journal().substring(before.length())).doesNotContain("handed to the next instance");
    }

    /**
     * systemctl reload applies what a reload takes and says so in STATUS=; a configuration a component
     * refuses (an InfluxDB URL its client cannot parse) leaves the daemon running with the old one.
     */
    @Test
    void reloadAppliesAValidConfigurationAndKeepsTheOldOneForAnInvalidOne() throws Exception {
        Path config = root.path("/etc/eveflow/eveflow.yaml");
        String original = Files.readString(config);
        String pid = root.check("systemctl", "show", "-p", "MainPID", "--value", "eveflow.service").trim();
        try {
            Files.writeString(config, original.replace("  flushtime: 1s\n", "  flushtime: 2s\n"));
            root.check("systemctl", "reload", "eveflow.service"); // returns once SIGHUP is sent (Type=notify)
            await().atMost(Duration.ofSeconds(30)).until(() -> status().startsWith("configuration reloaded"));
            Files.writeString(config, original.replace("    url: \"\"\n", "    url: http://admin:s3cret@127.0.0.1:99999\n")
                    .replace("    api: v2\n", "    api: v1\n    database: x\n"));
            root.check("systemctl", "reload", "eveflow.service");
            await().atMost(Duration.ofSeconds(30)).until(() -> status().startsWith("reload failed"));
            assertThat(status()).startsWith("reload failed: /etc/eveflow/eveflow.yaml:") // file:line:column
                    .contains(": stats.influx.url: 'http://***@127.0.0.1:99999' is not a URL").doesNotContain("s3cret");
            assertThat(root.check("systemctl", "is-active", "eveflow.service").trim()).isEqualTo("active");
            assertThat(root.check("systemctl", "show", "-p", "MainPID", "--value", "eveflow.service").trim())
                    .as("the same process").isEqualTo(pid);
            assertThat(journal()).contains("flushtime 2s").doesNotContain("s3cret");
        } finally {
            Files.writeString(config, original);
        }
    }

    /**
     * The package's hardened unit lets the Prometheus endpoint listen (no drop-in, no loosened setting):
     * with stats.prometheus.listen set, /-/ready and /metrics answer from outside the unit's sandbox.
     */
    @Test
    void thePrometheusEndpointServesUnderTheHardenedUnit() throws Exception {
        Path config = root.path("/etc/eveflow/eveflow.yaml");
        String original = Files.readString(config);
        int port = org.eveflow.testing.PrometheusServer.freePort();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try {
            assertThat(original).contains("    listen: \"\"\n");
            Files.writeString(config, original.replace("    listen: \"\"\n", "    listen: 127.0.0.1:" + port + "\n"));
            root.check("systemctl", "restart", "eveflow.service");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> http.send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body().equals("eveflow is ready.\n"));
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                    + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("# TYPE eveflow_lines_received_total counter", "eveflow_connections_active ");
            assertThat(journal()).contains("Prometheus endpoint on http://127.0.0.1:" + port + "/metrics");
        } finally {
            Files.writeString(config, original);
            root.check("systemctl", "restart", "eveflow.service");
        }
    }

    /** The daemon's STATUS= as systemd shows it. */
    private static String status() throws Exception {
        return root.check("systemctl", "show", "-p", "StatusText", "--value", "eveflow.service").trim();
    }

    /** A main loop that stops answering (SIGSTOP) is killed by systemd's watchdog and started again. */
    @Test
    void theWatchdogRestartsAStoppedDaemon() throws Exception {
        Path dropIn = root.path("/etc/systemd/system/eveflow.service.d/watchdog.conf");
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "[Service]\nWatchdogSec=3\n");
        try {
            root.check("systemctl", "daemon-reload");
            root.check("systemctl", "restart", "eveflow.service");
            String pid = root.check("systemctl", "show", "-p", "MainPID", "--value", "eveflow.service").trim();
            long restarts = Long.parseLong(root.check("systemctl", "show", "-p", "NRestarts", "--value",
                    "eveflow.service").trim());
            root.check("systemctl", "kill", "--kill-who=main", "--signal=SIGSTOP", "eveflow.service");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String now = root.check("systemctl", "show", "-p", "MainPID", "--value", "eveflow.service").trim();
                return !now.equals(pid) && !now.equals("0")
                        && root.run("systemctl", "is-active", "eveflow.service").output().trim().equals("active");
            });
            assertThat(Long.parseLong(root.check("systemctl", "show", "-p", "NRestarts", "--value",
                    "eveflow.service").trim())).as("restarted by systemd, not by the test").isEqualTo(restarts + 1);
        } finally {
            Files.delete(dropIn);
            root.check("systemctl", "daemon-reload");
            root.check("systemctl", "reset-failed", "eveflow.service");
        }
    }
}

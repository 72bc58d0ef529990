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
 * Restarts that Suricata does not notice, under a real systemd 252 as PID 1 with the package's own
 * units installed by dpkg: a writer that behaves as Suricata's eve-log (one connection; a failed write
 * is a dropped record and a reconnect after 0.5 s) sends flows at 8,000 lines/s through a
 * {@code systemctl restart} and through a package upgrade (postinst's try-restart): it never sees its
 * connection fail, and the reader downstream gets every flow exactly once (flow_count summed). A plain
 * {@code systemctl stop} closes the connection as before, after reading it to EOF.
 */
class SystemdRestartIT {
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
    private Path startWriter() throws Exception {
        String out = "/root/writer-" + run + ".out";
        root.check("systemd-run", "--unit=writer-" + run, "--service-type=exec", "/usr/bin/python3",
                "/root/writer.py", EVE, Integer.toString(LINES), Integer.toString(RATE), out);
        return root.path(out);
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
}

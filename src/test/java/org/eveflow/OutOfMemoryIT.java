package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the systemd unit's JVM flags, a daemon whose heap runs out (a max-keys far beyond its -Xmx)
 * stops at once with exit code 1 (HotSpot's fatal-error exit when it dumps no core), which the unit's
 * Restart=on-failure restarts (RestartPreventExitStatus holds only 2 and 3), and leaves a crash report
 * but no core dump; it does not run on with a thread that died.
 */
class OutOfMemoryIT {
    @TempDir
    Path dir;

    /**
     * The -XX flags the unit gives its launcher in EVEFLOW_SERVICE_JAVA_OPTS (placed before
     * EVEFLOW_JAVA_OPTS, so editing /etc/default/eveflow cannot drop them).
     */
    private static List<String> unitFlags() throws IOException {
        String env = unitLine("Environment=\"EVEFLOW_SERVICE_JAVA_OPTS=");
        List<String> flags = new ArrayList<>();
        for (String token : env.substring(env.indexOf("OPTS=") + 5).replace("\"", "").split("\\s+")) {
            if (token.startsWith("-XX:")) {
                flags.add(token.replace("%%", "%"));
            }
        }
        return flags;
    }

    private static String unitLine(String prefix) throws IOException {
        return Files.readAllLines(Path.of("systemd/eveflow.service")).stream()
                .filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    void runningOutOfHeapAbortsTheDaemonForSystemdToRestart() throws Exception {
        List<String> unit = unitFlags();
        assertThat(unit).contains("-XX:+CrashOnOutOfMemoryError", "-XX:-CreateCoredumpOnCrash")
                .anyMatch(f -> f.startsWith("-XX:ErrorFile=/var/cache/eveflow/"));
        assertThat(unitLine("Restart=")).isEqualTo("Restart=on-failure");
        assertThat(unitLine("RestartPreventExitStatus=").split("[= ]")).doesNotContain("1");
        List<String> jvm = new ArrayList<>(Arrays.asList("-Xmx48m", "-XX:+UseParallelGC"));
        for (String f : unit) {
            jvm.add(f.startsWith("-XX:ErrorFile=") ? "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log") : f);
        }
        Path in = dir.resolve("in.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, "aggregate:\n  max-keys: 50000000\n");
        try (DaemonProcess p = DaemonProcess.start(dir, jvm, "run", "--config", cfg.toString(), "-i", in.toString(),
                "-f", "1h")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            writeDistinctKeysUntilTheHeapIsGone(in, p);
            assertThat(p.waitFor(60)).as(p.output()).isEqualTo(1);
            // the heap running out shows as either error, depending on whether the collector gave up first
            // (ParallelGC's GC overhead limit, on by default and in the unit)
            assertThat(p.output()).containsPattern(
                    "Aborting due to java.lang.OutOfMemoryError: (Java heap space|GC overhead limit exceeded)");
            try (var files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .anyMatch(n -> n.startsWith("hs_err_pid") && n.endsWith(".log"))
                        .noneMatch(n -> n.startsWith("core"));
            }
        }
    }

    /**
     * Run as README's {@code java -jar} command, without the unit's flags: the heap running out in any
     * thread still ends the daemon with exit 1 and a clear message (it used to stop reading for good and
     * exit 0 at SIGTERM with more flows aggregated than lines received).
     */
    @Test
    void withoutTheUnitsFlagsRunningOutOfHeapStillEndsTheDaemonWithExitOne() throws Exception {
        Path in = dir.resolve("in.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, "aggregate:\n  max-keys: 50000000\n");
        try (DaemonProcess p = DaemonProcess.start(dir, List.of("-Xmx48m", "-XX:+UseParallelGC"), "run", "--config",
                cfg.toString(), "-i", in.toString(), "-o", "", "-f", "1h")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            writeDistinctKeysUntilTheHeapIsGone(in, p);
            assertThat(p.waitFor(60)).as(p.output()).isEqualTo(1);
            assertThat(p.output()).containsPattern("eveflow: fatal: java.lang.OutOfMemoryError: "
                    + "(Java heap space|GC overhead limit exceeded) in .*stopping at once with exit code 1");
        }
    }

    /**
     * Distinct keys into {@code in} until the daemon is gone; on a thread of its own, since a daemon
     * that ran on half-broken could stop reading and block the writer (then waitFor fails the test).
     */
    private static void writeDistinctKeysUntilTheHeapIsGone(Path in, DaemonProcess p) {
        Thread writer = new Thread(() -> {
            try (EveWriter w = new EveWriter(in)) {
                for (int k = 0; k < 20_000_000 && p.isAlive(); k++) {
                    w.line(FlowGen.flowLine(new FlowGen.Key("10." + (k >> 16 & 255) + "." + (k >> 8 & 255)
                            + "." + (k & 255), "172.16." + (k >> 24) + ".1", 1 + k % 60_000), 40_000, 1, 1, 60,
                            60, "2026-11-29T05:00:00.000000+0000"));
                }
            } catch (IOException daemonGone) {
                // the socket closed under the writer: the daemon died
            }
        });
        writer.setDaemon(true);
        writer.start();
    }
}

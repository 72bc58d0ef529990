package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code max-keys: auto} (the default) sized from the heap: with the package's JVM options a window of
 * a million distinct keys sent at full speed is aggregated whole (nothing refused, no early flush,
 * every flow in exactly one aggregate); in a 128 MiB heap a flood of new keys flushes early and
 * refuses what does not fit, counted, without running out of heap.
 */
class DefaultMaxKeysIT {
    private static final int KEYS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aMillionDistinctKeysInOneWindowRefuseNothingWithThePackagesHeap() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        List<String> jvm = packagedJavaOptions();
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, jvm, "run", "-i", in.toString(), "-o", out.toString(),
                     "-f", "1h", "--stats-interval", "500ms", "-v")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in));
            assertThat(p.output()).contains("aggregate.max-keys auto: 1067000 keys");
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < KEYS; i++) {
                    FlowGen.Key k = new FlowGen.Key("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
                            "192.0.2.1", 443);
                    w.line(FlowGen.flowLine(k, 40_000 + (i & 1023), 3, 2, 300, 200,
                            "2026-12-05T10:00:00.000000+0000"));
                }
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .until(() -> p.lastStats().getOrDefault("flows_aggregated", 0L) == KEYS);
            p.sigterm();
            assertThat(p.waitFor(120)).isZero();
            Map<String, Long> stats = p.lastStats();
            assertThat(stats.get("flows_refused")).isZero();
            assertThat(stats.get("early_flushes")).isZero();
            assertThat(stats.get("lines_malformed")).isZero();
            await().atMost(Duration.ofMinutes(1)).until(() -> sink.lineCount() == KEYS);
            Map<FlowGen.Key, FlowGen.Sums> sums = Aggregates.sum(sink.lines());
            assertThat(sums).hasSize(KEYS);
            assertThat(sums.values().stream().mapToLong(s -> s.flowCount).sum()).isEqualTo(KEYS);
            assertThat(sums.values().stream().mapToLong(s -> s.bytesToServer).sum()).isEqualTo(300L * KEYS);
        }
    }

    @Test
    void aFloodOfNewKeysInASmallHeapIsBoundedAndEveryFlowAccountedFor() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        int sent = 1_500_000; // more than 11 x what auto gives a 128 MiB heap (130,000 keys)
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, List.of("-Xmx128m", "-XX:+UseParallelGC",
                     "-XX:+CrashOnOutOfMemoryError"), "run", "-i", in.toString(), "-o", out.toString(), "-f", "1h",
                     "--stats-interval", "500ms", "-v")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in));
            assertThat(p.output()).contains("aggregate.max-keys auto: 130000 keys");
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < sent; i++) {
                    FlowGen.Key k = new FlowGen.Key("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
                            "198.51.100." + (i >> 24 & 255), 443);
                    w.line(FlowGen.flowLine(k, 40_000, 1, 1, 100, 100, "2026-12-05T10:00:00.000000+0000"));
                }
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                Map<String, Long> s = p.lastStats();
                return s.getOrDefault("flows_aggregated", 0L) + s.getOrDefault("flows_refused", 0L) == sent;
            });
            p.sigterm();
            assertThat(p.waitFor(120)).as("stopped cleanly, never out of heap").isZero();
            Map<String, Long> stats = p.lastStats();
            long aggregated = stats.get("flows_aggregated");
            assertThat(aggregated + stats.get("flows_refused")).isEqualTo(sent);
            assertThat(stats.get("early_flushes")).isPositive();
            await().atMost(Duration.ofMinutes(1)).until(() -> sink.lineCount() == stats.get("aggregates_emitted"));
            assertThat(Aggregates.sum(sink.lines()).values().stream().mapToLong(s -> s.flowCount).sum())
                    .isEqualTo(aggregated);
        }
    }

    /** EVEFLOW_JAVA_OPTS of systemd/eveflow.default, the package's /etc/default/eveflow. */
    private static List<String> packagedJavaOptions() throws Exception {
        for (String line : Files.readAllLines(Path.of("systemd/eveflow.default"))) {
            if (line.startsWith("EVEFLOW_JAVA_OPTS=")) {
                return Arrays.asList(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')).split(" "));
            }
        }
        throw new IllegalStateException("no EVEFLOW_JAVA_OPTS in systemd/eveflow.default");
    }
}

package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output whose reader stopped reading, with a buffer-bytes far beyond the JVM's direct-memory limit
 * (1 GiB of 64 MiB): the daemon reduces the buffer to fit at startup and says so, and then keeps
 * reading at full speed, dropping (and counting) what the output cannot hold. Before, the buffer
 * filled direct memory and every later copy waited in the JDK's retries (a full GC and ~0.5 s each):
 * the writer was stuck after ~90,000 of these lines for minutes.
 */
class DirectMemoryShortIT {
    private static final int LINES = 300_000;

    @TempDir
    Path dir;

    @Test
    void aStuckOutputWithTooLargeABufferNeitherStallsIngestNorLosesCount() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, "input:\n  socket: " + in + "\n  max-connections: 1\n  max-line-length: 1MiB\n"
                + "outputs:\n  stuck:\n    socket: " + out + "\n    all: true\n    buffer-lines: 10000000\n"
                + "    buffer-bytes: 1GiB\n"
                + "stats:\n  interval: 200ms\n");
        String padding = "x".repeat(400);
        AtomicBoolean done = new AtomicBoolean();
        try (ServerSocketChannel reader = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            reader.bind(UnixDomainSocketAddress.of(out));
            try (DaemonProcess p = DaemonProcess.start(dir, List.of("-Xmx256m", "-XX:MaxDirectMemorySize=64m",
                    "-XX:+UseParallelGC"), "run", "--config", cfg.toString(), "-f", "1h")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
                assertThat(p.output()).containsPattern("but the JVM allows 64 MiB of direct memory"
                        + " \\(-XX:MaxDirectMemorySize\\): buffer-bytes reduced to fit \\(stuck 1024 MiB -> [0-9.]+ MiB\\)");
                try (SocketChannel connected = reader.accept()) { // accepted, never read
                    Thread writer = new Thread(() -> {
                        try (EveWriter w = new EveWriter(in)) {
                            for (int i = 0; i < LINES; i++) {
                                w.line("{\"timestamp\":\"2026-11-29T07:00:00.000000+0000\",\"event_type\":\"dns\","
                                        + "\"src_ip\":\"10.0.0.1\",\"src_port\":53,\"dest_ip\":\"10.0.0.2\",\"dest_port\":53,"
                                        + "\"dns\":{\"type\":\"query\",\"id\":" + i + ",\"rrname\":\"" + padding + "\"}}");
                            }
                            done.set(true);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    writer.setDaemon(true);
                    writer.start();
                    await().atMost(Duration.ofSeconds(60)).untilTrue(done);
                    await().atMost(Duration.ofSeconds(30)).until(() -> p.lastStats().getOrDefault("output_offered", 0L) == LINES);
                    p.sigterm(); // the output never reads: what is still buffered at the end of the grace is dropped
                    assertThat(p.waitFor(120)).as(p.output()).isZero();
                    Map<String, Long> s = p.lastStats();
                    assertThat(s.get("lines_received")).isEqualTo(LINES);
                    assertThat(s.get("lines_decoded")).isEqualTo(LINES);
                    assertThat(s.get("output_offered")).isEqualTo(LINES);
                    assertThat(s.get("output_written") + s.get("output_dropped")).isEqualTo(LINES);
                    // a cause that is 0 is not in the log's stats line
                    assertThat(s.get("output_dropped")).isEqualTo(s.getOrDefault("output_dropped_full", 0L)
                            + s.getOrDefault("output_dropped_disconnect", 0L) + s.getOrDefault("output_dropped_shutdown", 0L));
                    assertThat(s.get("output_dropped_full")).isGreaterThan(LINES / 2);
                }
            }
        }
    }
}

package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * Invariant 4 against a running daemon with a small fixed heap and capped direct memory, one attack
 * after another: many keys (early flushes), one key with a million flows, a 1 GiB line without
 * newline, a thousand idle connections, slow writers, ten thousand made-up event types. After each
 * the daemon is alive and its RSS (VmHWM) below {@link #RSS_BOUND_MIB}, the bound docs/operations.md states
 * for these options; every line is accounted for exactly; Netty's leak detector runs at PARANOID and
 * no "LEAK:" appears after a forced GC.
 */
class HostileInputIT {
    /** docs/operations.md "Memory sizing": the bound for -Xmx128m -XX:MaxDirectMemorySize=64m. */
    static final long RSS_BOUND_MIB = 400;
    private static final int MAX_CONNECTIONS = 64;

    @TempDir
    Path dir;

    private long sent;
    private long flowsSent;

    private static String flow(String src, int srcPort, String dst, int dstPort) {
        return FlowGen.flowLine(new FlowGen.Key(src, dst, dstPort), srcPort, 2, 1, 120, 60,
                "2026-11-28T10:00:00.000000+0000");
    }

    @Test
    void staysAliveAndWithinItsMemoryBoundUnderEveryAttack() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, "input:\n  max-connections: " + MAX_CONNECTIONS + "\n"
                + "aggregate:\n  max-keys: 20000\n"
                + "stats:\n  interval: 500ms\n");
        List<String> jvm = List.of("-Xmx128m", "-XX:MaxDirectMemorySize=64m", "-XX:+UseParallelGC",
                "-Dio.netty.leakDetection.level=paranoid");
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, jvm, "run", "--config", cfg.toString(), "-i", in.toString(),
                     "-o", out.toString(), "-f", "1s", "-t", "alert", "-v")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            long peak = 0;

            // 1. Many keys: 10 x max-keys distinct keys, one flow each.
            try (EveWriter w = new EveWriter(in)) {
                for (int k = 0; k < 200_000; k++) {
                    w.line(flow("10." + (k >> 16) + "." + (k >> 8 & 255) + "." + (k & 255), 40_000, "172.31.0.1",
                            1 + k % 60_000));
                }
            }
            sent += 200_000;
            flowsSent += 200_000;
            peak = Math.max(peak, settled(p));
            // the next flush empties the table, so the hot key below is never refused as a new key
            await().atMost(Duration.ofSeconds(30)).until(() -> stat(p, "keys_in_table") == 0);

            // 2. One key, a million flows: its src port list is capped, its flow_count exact.
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 1_000_000; i++) {
                    w.line(flow("192.0.2.66", 1024 + i % 60_000, "198.51.100.66", 443));
                }
            }
            sent += 1_000_000;
            flowsSent += 1_000_000;
            peak = Math.max(peak, settled(p));

            // 3. A 1 GiB line without newline, then a newline and one valid line.
            try (EveWriter w = new EveWriter(in)) {
                byte[] mib = new byte[1 << 20];
                Arrays.fill(mib, (byte) 'a');
                for (int i = 0; i < 1024; i++) {
                    w.raw(mib);
                }
                w.raw(new byte[] {'\n'}).line("{\"event_type\":\"alert\",\"after\":\"endless line\"}");
            }
            sent += 2;
            peak = Math.max(peak, settled(p));

            // 4. A thousand idle connections: max-connections are kept, the rest refused and counted.
            List<SocketChannel> idle = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.connect(UnixDomainSocketAddress.of(in));
                    idle.add(c);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> stat(p, "connections_refused") == 1000 - MAX_CONNECTIONS
                        && stat(p, "connections_active") == MAX_CONNECTIONS);
                peak = Math.max(peak, p.memoryKib("VmHWM"));
            } finally {
                for (SocketChannel c : idle) {
                    c.close();
                }
            }
            peak = Math.max(peak, settled(p));

            // 5. Slow writers: 32 connections dribble one line each, a byte every 20 ms, while a normal
            //    connection sends 50,000 flows.
            List<Thread> loris = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] line = ("{\"event_type\":\"alert\",\"slow\":" + i + "}\n").getBytes(StandardCharsets.UTF_8);
                Thread t = new Thread(() -> dribble(in, line));
                loris.add(t);
                t.start();
            }
            FlowGen normal = new FlowGen(1000, 5);
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 50_000; i++) {
                    w.line(normal.next());
                }
            }
            for (Thread t : loris) {
                t.join();
            }
            sent += 50_032;
            flowsSent += 50_000;
            peak = Math.max(peak, settled(p));

            // 6. Ten thousand made-up event types share the "other" counter.
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 10_000; i++) {
                    w.line("{\"event_type\":\"made-up-" + i + "\",\"x\":" + i + "}");
                }
            }
            sent += 10_000;
            peak = Math.max(peak, settled(p));

            // Leaks are reported when a leaked buffer has been collected and the next one is allocated.
            p.forceGc();
            try (EveWriter w = new EveWriter(in)) {
                w.line("{\"event_type\":\"alert\",\"after\":\"gc\"}");
            }
            sent++;
            peak = Math.max(peak, settled(p));
            p.sigterm();
            assertThat(p.waitFor(120)).as(p.output()).isZero();

            String log = p.output();
            System.out.printf("hostile input: peak RSS %d MiB (bound %d MiB)%n", peak / 1024, RSS_BOUND_MIB);
            assertThat(log).doesNotContain("LEAK:");
            assertThat(peak / 1024).as("peak RSS (MiB)").isLessThan(RSS_BOUND_MIB);
            Map<String, Long> s = p.lastStats();
            assertThat(s.get("lines_received")).isEqualTo(sent);
            assertThat(s.get("lines_decoded")).isEqualTo(sent - 1);
            assertThat(s.get("lines_oversized")).isEqualTo(1);
            assertThat(s.get("lines_malformed")).isZero();
            assertThat(s.get("events_other")).isEqualTo(10_000);
            assertThat(s.get("early_flushes")).isPositive();
            assertThat(s.get("flows_aggregated") + s.get("flows_refused")).isEqualTo(flowsSent);
            assertThat(s.get("output_dropped")).isZero();

            long aggregates = s.get("aggregates_emitted");
            long alerts = 34; // endless line's follower, 32 slow ones, the last one
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.lineCount() == aggregates + alerts);
            Map<FlowGen.Key, FlowGen.Sums> sums = Aggregates.sum(sink.lines());
            assertThat(sums.values().stream().mapToLong(x -> x.flowCount).sum()).isEqualTo(s.get("flows_aggregated"));
            FlowGen.Sums hot = sums.get(new FlowGen.Key("192.0.2.66", "198.51.100.66", 443));
            assertThat(hot.flowCount).isEqualTo(1_000_000);
            assertThat(sink.lines().stream().filter(l -> l.contains("\"192.0.2.66\""))
                    .mapToInt(l -> Aggregates.parse(l).get("src_port").size()).max().orElse(0)).isEqualTo(100);
            for (Map.Entry<FlowGen.Key, FlowGen.Sums> e : normal.expected().entrySet()) {
                assertThat(sums.get(e.getKey()).flowCount).isEqualTo(e.getValue().flowCount);
            }
        }
    }

    /** Waits until everything sent so far is counted and no connection is open; returns VmHWM (KiB). */
    private long settled(DaemonProcess p) throws IOException {
        await().atMost(Duration.ofSeconds(120)).until(() -> !p.isAlive()
                || (stat(p, "lines_received") == sent && stat(p, "connections_active") == 0));
        assertThat(p.isAlive()).as(p.output()).isTrue();
        return p.memoryKib("VmHWM");
    }

    private static long stat(DaemonProcess p, String name) {
        Long v = p.lastStats().get(name);
        return v == null ? -1 : v;
    }

    private static void dribble(Path in, byte[] line) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(in));
            for (byte b : line) {
                c.write(ByteBuffer.wrap(new byte[] {b}));
                Thread.sleep(20); // the attack is the pace itself
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}

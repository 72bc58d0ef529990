package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configured limits and the NIO transport, each against real sockets. */
class IngestLimitsTest {
    @TempDir
    Path dir;

    @Test
    void connectionsBeyondTheLimitAreRefusedAndCounted() throws Exception {
        TestDaemon d = TestDaemon.start(dir, "input:\n  max-connections: 2\n", TestDaemon.flags("1h"));
        try (EveWriter a = new EveWriter(d.in); EveWriter b = new EveWriter(d.in)) {
            a.line("{\"event_type\":\"dns\"}").flush();
            b.line("{\"event_type\":\"dns\"}").flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().connectionsActive.get() == 2);
            try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
                    java.net.StandardProtocolFamily.UNIX)) {
                c.connect(java.net.UnixDomainSocketAddress.of(d.in));
                await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().connectionsRefused.sum() == 1);
                // the refused connection is closed by the daemon: read sees EOF
                assertThat(c.read(ByteBuffer.allocate(1))).isEqualTo(-1);
            }
            a.line("{\"event_type\":\"dns\"}").flush();
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().events.get("dns") == 3);
        }
        d.stop();
        assertThat(d.counters().connectionsTotal.sum()).isEqualTo(2);
        assertThat(d.counters().connectionsRefused.sum()).isEqualTo(1);
    }

    @Test
    void reachingMaxKeysFlushesEarlyAndEveryFlowIsEmittedOrCountedAsRefused() throws Exception {
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "aggregate:\n  max-keys: 100\n", TestDaemon.flags("1h"));
            FlowGen gen = new FlowGen(3_000, 5);
            int total = 30_000;
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < total; i++) {
                    w.line(gen.next());
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesDecoded.sum() == total);
            d.stop();
            assertThat(d.counters().earlyFlushes.sum()).isGreaterThan(10);
            assertThat(d.counters().flowsAggregated.sum() + d.counters().flowsRefused.sum()).isEqualTo(total);
            long emitted = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.lineCount() == emitted);
            long flowCount = Aggregates.sum(sink.lines()).values().stream().mapToLong(s -> s.flowCount).sum();
            assertThat(flowCount).isEqualTo(d.counters().flowsAggregated.sum());
        }
    }

    /** A dns line of exactly {@code len} bytes. */
    private static String dnsLine(int len) {
        String head = "{\"event_type\":\"dns\",\"pad\":\"";
        return head + "x".repeat(len - head.length() - 2) + "\"}";
    }

    @Test
    void theLineLimitHoldsWhereverReadsSplitALine() throws Exception {
        TestDaemon d = TestDaemon.start(dir, "input:\n  max-line-length: 64\n", TestDaemon.flags("1h"));
        String fits = dnsLine(64);
        String tooLong = dnsLine(65);
        long decoded = 0;
        long oversized = 0;
        try (EveWriter w = new EveWriter(d.in)) {
            // every split point of a line of exactly the limit, with "\n" and with "\r\n"; then one byte more
            for (String ending : List.of("\n", "\r\n")) {
                for (String line : List.of(fits, tooLong)) {
                    byte[] b = (line + ending).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    for (int cut = 1; cut < b.length; cut++) {
                        sendInTwoReads(d, w, b, cut);
                        if (line == fits) {
                            decoded++;
                        } else {
                            oversized++;
                        }
                    }
                }
            }
            // a long line arriving 10 bytes per read is discarded in bounded memory; the next line is intact
            byte[] longLine = (dnsLine(300) + "\n" + fits + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int at = 0; at < longLine.length; at += 10) {
                sendInTwoReads(d, w, java.util.Arrays.copyOfRange(longLine, at, Math.min(at + 10, longLine.length)), 0);
            }
            oversized++;
            decoded++;
        }
        long lines = decoded + oversized;
        await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().linesReceived() == lines);
        d.stop();
        assertThat(d.counters().linesDecoded.sum()).isEqualTo(decoded);
        assertThat(d.counters().linesOversized.sum()).isEqualTo(oversized);
        assertThat(d.counters().linesMalformed.sum()).isZero();
    }

    /** Writes b[0, cut) and, once the daemon has read it, the rest: two separate reads. */
    private static void sendInTwoReads(TestDaemon d, EveWriter w, byte[] b, int cut) throws Exception {
        for (byte[] part : new byte[][] {java.util.Arrays.copyOfRange(b, 0, cut), java.util.Arrays.copyOfRange(b, cut, b.length)}) {
            if (part.length == 0) {
                continue;
            }
            long before = d.counters().bytesReceived.sum();
            w.raw(part).flush();
            await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> d.counters().bytesReceived.sum() == before + part.length);
        }
    }

    @Test
    void nioTransportCarriesTheSameData() throws Exception {
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "input:\n  transport: nio\n  decode-threads: 0\naggregate:\n  src-ports-per-key: 10000\n",
                    TestDaemon.flags("100ms", "alert"));
            FlowGen gen = new FlowGen(200, 9);
            List<String> alerts = new ArrayList<>();
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < 20_000; i++) {
                    w.line(gen.next());
                    if (i % 100 == 0) {
                        String a = "{\"event_type\":\"alert\",\"n\":" + i + "}";
                        alerts.add(a);
                        w.line(a);
                    }
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesDecoded.sum() == 20_000 + alerts.size()
                    && d.counters().connectionsActive.get() == 0);
            d.stop();
            long emitted = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.lineCount() == emitted + alerts.size());
            assertThat(Aggregates.sum(sink.lines())).isEqualTo(gen.expected());
            assertThat(sink.lines()).filteredOn(l -> !Aggregates.isAggregate(l)).containsExactlyElementsOf(alerts);
        }
    }


    /** Invariant 8 (docs/architecture.md): a connection's lines reach the output in the order they were sent. */
    @Test
    void parallelDecodingKeepsEachConnectionsLineOrderWithManyBatchesPerRead() throws Exception {
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            // the whole stream fits the output's buffer: this is about order, not about a slow reader
            TestDaemon d = TestDaemon.start(dir, "input:\n  decode-threads: 2\noutputs:\n  default:\n    socket: "
                    + dir.resolve("out.sock") + "\n    types: [dns]\n    buffer-lines: 400000\n", TestDaemon.flags("1h"));
            int total = 300_000;
            List<String> sent = new ArrayList<>(total);
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < total; i++) {
                    String line = i % 1000 == 999 ? "x" + i : "{\"event_type\":\"dns\",\"i\":" + i + "}"; // ~30 bytes
                    if (!line.startsWith("x")) {
                        sent.add(line);
                    }
                    w.line(line);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> d.counters().linesReceived() == total
                    && sink.lineCount() == sent.size());
            d.stop();
            assertThat(sink.lines()).containsExactlyElementsOf(sent);
            assertThat(d.counters().linesMalformed.sum()).isEqualTo(total / 1000);
            assertThat(d.counters().events.get("dns")).isEqualTo(sent.size());
            assertThat(d.counters().outputs.get(0).dropped()).isZero();
        }
    }
}

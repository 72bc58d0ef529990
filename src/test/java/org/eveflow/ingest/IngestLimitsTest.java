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


    @Test
    void parallelDecodingKeepsEachConnectionsLineOrderWithManyBatchesPerRead() throws Exception {
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "input:\n  decode-threads: 2\n", TestDaemon.flags("1h", "dns"));
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
        }
    }
}

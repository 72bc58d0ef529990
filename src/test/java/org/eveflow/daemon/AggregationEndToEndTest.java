package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2: no lost and no double-counted update across flushes, with several connections
 * writing at once. Real sockets in and out; the final flush at stop is included.
 */
class AggregationEndToEndTest {
    static final int CONNECTIONS = 4;
    static final int FLOWS_PER_CONNECTION = 250_000;
    static final int KEYS = 5_000;

    @TempDir
    Path dir;

    @Test
    void sumsPerKeyEqualWhatWasSentAcrossManyFlushesAndConnections() throws Exception {
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "aggregate:\n  src-ports-per-key: 100000\n  src-ports-total: 5000000\n",
                    TestDaemon.flags("50ms"));
            List<FlowGen> gens = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int c = 0; c < CONNECTIONS; c++) {
                    FlowGen g = new FlowGen(KEYS, 42 + c);
                    gens.add(g);
                    writers.add(pool.submit(() -> {
                        try (EveWriter w = new EveWriter(d.in)) {
                            for (int i = 0; i < FLOWS_PER_CONNECTION; i++) {
                                w.line(g.next());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : writers) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            long total = (long) CONNECTIONS * FLOWS_PER_CONNECTION;
            await().atMost(Duration.ofMinutes(2)).until(() -> d.counters().linesReceived() == total);
            d.stop();

            assertThat(d.counters().linesDecoded.sum()).isEqualTo(total);
            assertThat(d.counters().linesMalformed.sum()).isZero();
            assertThat(d.counters().flowsAggregated.sum()).isEqualTo(total);
            assertThat(d.counters().flowsRefused.sum()).isZero();
            assertThat(d.counters().flushes.sum()).isGreaterThan(3);
            assertThat(d.counters().output("default").dropped()).isZero();

            long emitted = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.lineCount() == emitted);
            Map<FlowGen.Key, FlowGen.Sums> expected = FlowGen.merge(gens);
            Map<FlowGen.Key, FlowGen.Sums> received = Aggregates.sum(sink.lines());
            assertThat(received.keySet()).hasSize(KEYS).isEqualTo(expected.keySet());
            for (FlowGen.Key k : expected.keySet()) {
                assertThat(received.get(k)).as("key %s", k).isEqualTo(expected.get(k));
            }
            assertThat(received.values().stream().mapToLong(s -> s.flowCount).sum()).isEqualTo(total);
            // FEVER's colliding pairs are distinct keys here.
            assertThat(received).containsKeys(
                    new FlowGen.Key("1.1.1.1", "11.1.1.1", 80), new FlowGen.Key("1.1.1.11", "1.1.1.1", 80),
                    new FlowGen.Key("192.0.2.7", "10.0.0.5", 3389), new FlowGen.Key("192.0.2.7", "10.0.0.53", 389));
            // ICMP flows: dest_port 0 and one 0 per flow in src_port.
            FlowGen.Sums icmp = received.get(new FlowGen.Key("192.0.2.9", "198.51.100.3", 0));
            assertThat(icmp.srcPorts).containsOnlyKeys(0);
            assertThat((long) icmp.srcPorts.get(0)).isEqualTo(icmp.flowCount);
        }
    }
}

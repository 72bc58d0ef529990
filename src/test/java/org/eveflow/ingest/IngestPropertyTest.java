package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.eveflow.event.EveEvent;
import org.eveflow.event.EveParser;
import org.eveflow.event.MalformedEventException;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveCorpus;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineMutator;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants 1 and 2 (docs/architecture.md) over seeded random input: random mixes of valid, mutated, corpus
 * and oversized lines, spread over 1 to 4 connections written at once and cut at random byte
 * boundaries. Each run's seed is in the test's name, so a failure is replayed with
 * {@code -Deveflow.seed=N -Deveflow.tries=1}; {@code -Deveflow.tries=200} runs more. The oracle is {@link EveParser#parse} on each line alone (itself tested against the
 * corpus): every line must end decoded (counted by type), malformed or oversized, exactly as the
 * oracle says, and the aggregates' sums must equal those of the flow lines the oracle decodes.
 */
class IngestPropertyTest {
    private static final int MAX_LINE = 4096;
    private static final byte[] ALERT = ("{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\","
            + "\"src_ip\":\"10.9.9.9\",\"dest_ip\":\"10.9.9.8\",\"alert\":{\"signature\":\"s \\\"q\\\" \\u00e9\"}}")
            .getBytes(StandardCharsets.UTF_8);
    private static final List<EveCorpus.Case> CORPUS = EveCorpus.parserCases();

    private final EveParser oracle = new EveParser();

    /** The seeds of this run: {@code eveflow.tries} (12) of them from {@code eveflow.seed} (fixed unless given). */
    static java.util.stream.LongStream seeds() {
        long base = Long.getLong("eveflow.seed", 20_261_204L);
        int tries = Integer.getInteger("eveflow.tries", 12);
        SplittableRandom r = new SplittableRandom(base);
        return java.util.stream.LongStream.concat(java.util.stream.LongStream.of(base),
                java.util.stream.LongStream.generate(r::nextLong)).limit(tries);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyLineIsCountedOnceAndFlowSumsAreExact(long seed) throws Exception {
        SplittableRandom r = new SplittableRandom(seed);
        int connections = 1 + r.nextInt(4);
        int linesPerConnection = 20 + r.nextInt(581);
        FlowGen gen = new FlowGen(300, seed);
        List<List<byte[]>> streams = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            List<byte[]> lines = new ArrayList<>();
            for (int i = 0; i < linesPerConnection; i++) {
                lines.add(line(r, gen));
            }
            streams.add(lines);
        }
        Expected expected = new Expected();
        streams.forEach(s -> s.forEach(expected::judge));

        Path dir = Files.createTempDirectory("evf-prop");
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "input:\n  max-line-length: " + MAX_LINE + "\n",
                    TestDaemon.flags("1h", "alert"));
            try {
                List<Thread> writers = new ArrayList<>();
                List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
                for (int c = 0; c < connections; c++) {
                    List<byte[]> lines = streams.get(c);
                    long splitSeed = r.nextLong();
                    Thread t = new Thread(() -> {
                        try {
                            writeInPieces(d.in, lines, new SplittableRandom(splitSeed));
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                    writers.add(t);
                    t.start();
                }
                for (Thread t : writers) {
                    t.join();
                }
                assertThat(failures).isEmpty();
                long total = (long) connections * linesPerConnection;
                await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesReceived() == total
                        && d.counters().connectionsActive.get() == 0);
            } finally {
                d.stop();
            }
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(expected.decoded);
            assertThat(d.counters().linesMalformed.sum()).isEqualTo(expected.malformed);
            assertThat(d.counters().linesOversized.sum()).isEqualTo(expected.oversized);
            expected.byType.forEach((type, n) -> assertThat(d.counters().events.get(type)).as(type).isEqualTo(n));

            long aggregates = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> sink.lineCount() == expected.forwarded.size() + aggregates);
            assertThat(Aggregates.sum(sink.lines())).isEqualTo(expected.flows);
            List<String> raw = new ArrayList<>(sink.lines().stream().filter(l -> !Aggregates.isAggregate(l)).toList());
            raw.sort(Comparator.naturalOrder());
            List<String> want = new ArrayList<>(expected.forwarded);
            want.sort(Comparator.naturalOrder());
            assertThat(raw).isEqualTo(want);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A valid flow or alert, a mutated one, a corpus case, or a line over the limit. */
    private static byte[] line(SplittableRandom r, FlowGen gen) {
        int kind = r.nextInt(20);
        if (kind < 9) {
            return gen.next().getBytes(StandardCharsets.UTF_8);
        }
        if (kind < 12) {
            return ALERT;
        }
        if (kind < 16) {
            byte[] l = r.nextBoolean() ? gen.next().getBytes(StandardCharsets.UTF_8) : ALERT;
            return LineMutator.mutate(r, l, ALERT);
        }
        if (kind < 19) {
            byte[] l = CORPUS.get(r.nextInt(CORPUS.size())).line();
            return l.length > MAX_LINE ? ALERT : l;
        }
        return ("{\"event_type\":\"alert\",\"x\":\"" + "a".repeat(MAX_LINE + r.nextInt(3 * MAX_LINE)) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void writeInPieces(Path socket, List<byte[]> lines, SplittableRandom r) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] l : lines) {
            all.writeBytes(l);
            all.write('\n');
        }
        byte[] b = all.toByteArray();
        try (EveWriter w = new EveWriter(socket)) {
            int at = 0;
            while (at < b.length) {
                int n = Math.min(b.length - at, 1 + r.nextInt(r.nextBoolean() ? 16 : 4096));
                w.raw(java.util.Arrays.copyOfRange(b, at, at + n)).flush();
                at += n;
            }
        }
    }

    /** What the oracle says the daemon must count and emit. */
    private final class Expected {
        long decoded;
        long malformed;
        long oversized;
        final Map<String, Long> byType = new HashMap<>();
        final Map<FlowGen.Key, FlowGen.Sums> flows = new HashMap<>();
        final List<String> forwarded = new ArrayList<>();

        void judge(byte[] line) {
            int len = line.length;
            if (len > 0 && line[len - 1] == '\r') {
                len--; // stripped with the '\n' by the framer
            }
            if (len > MAX_LINE) {
                oversized++;
                return;
            }
            EveEvent e;
            try {
                e = oracle.parse(line, 0, len);
            } catch (MalformedEventException ex) {
                malformed++;
                return;
            }
            decoded++;
            if (isCounted(e.eventType())) {
                byType.merge(e.eventType(), 1L, Long::sum);
            }
            if (e.isFlow()) {
                FlowGen.Sums s = flows.computeIfAbsent(
                        new FlowGen.Key(e.srcIp(), e.destIp(), Math.max(0, e.destPort())), k -> new FlowGen.Sums());
                s.flowCount++;
                s.pktsToServer = saturated(s.pktsToServer, e.pktsToServer());
                s.pktsToClient = saturated(s.pktsToClient, e.pktsToClient());
                s.bytesToServer = saturated(s.bytesToServer, e.bytesToServer());
                s.bytesToClient = saturated(s.bytesToClient, e.bytesToClient());
                s.addPort(Math.max(0, e.srcPort()));
            } else if (e.eventType().equals("alert")) {
                forwarded.add(new String(line, 0, len, StandardCharsets.UTF_8));
            }
        }

        /** Sums are held at Long.MAX_VALUE rather than wrap (mutated lines carry 18-digit counters). */
        private long saturated(long a, long b) {
            long r = a + b;
            return r < 0 ? Long.MAX_VALUE : r;
        }

        private boolean isCounted(String type) {
            return type.equals("flow") || type.equals("alert");
        }
    }
}

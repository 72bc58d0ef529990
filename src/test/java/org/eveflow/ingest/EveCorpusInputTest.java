package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveCorpus;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 over a real socket with the whole corpus and the default line limit: every line ends
 * decoded, malformed or oversized, each counted; the valid lines around each case arrive intact
 * (aggregated sums exact, forwarded lines byte-identical, in order).
 */
class EveCorpusInputTest {
    private static final int ROUNDS = 2;

    @TempDir
    Path dir;

    @Test
    void everyCaseGetsItsDispositionAndValidLinesAroundItAreIntact() throws Exception {
        List<EveCorpus.Case> corpus = EveCorpus.cases();
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "", TestDaemon.flags("1h", "alert"));
            FlowGen gen = new FlowGen(50, 7);
            List<String> forwarded = new ArrayList<>();
            long valid = 0;
            long corpusFlows = 0;
            try (EveWriter w = new EveWriter(d.in)) {
                for (int round = 0; round < ROUNDS; round++) {
                    for (EveCorpus.Case c : corpus) {
                        w.line(gen.next());
                        w.raw(c.line()).raw(new byte[] {'\n'});
                        if (c.expect() == EveCorpus.Expect.DECODED) {
                            valid++;
                            if ("alert".equals(c.eventType())) {
                                String s = new String(c.line(), StandardCharsets.UTF_8);
                                forwarded.add(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s); // CRLF: '\n' out
                            } else if ("flow".equals(c.eventType())) {
                                corpusFlows++;
                            }
                        }
                        String alert = "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\","
                                + "\"src_ip\":\"10.9.9.9\",\"alert\":{\"signature\":\"case " + c.name() + " ü\\\"\"}}";
                        forwarded.add(alert);
                        w.line(alert);
                        valid += 2;
                    }
                    w.flush();
                }
                w.line(gen.next());
                valid++;
                // A fragment without newline at EOF: malformed.
                w.raw("{\"event_type\":\"alert\",\"cut\":".getBytes(StandardCharsets.UTF_8));
            }
            long malformed = ROUNDS * EveCorpus.withExpect(EveCorpus.Expect.MALFORMED).size() + 1;
            long oversized = ROUNDS * EveCorpus.withExpect(EveCorpus.Expect.OVERSIZED).size();
            long total = valid + malformed + oversized;
            await().atMost(Duration.ofSeconds(60)).until(() -> d.counters().linesReceived() == total
                    && d.counters().connectionsActive.get() == 0);
            d.stop();

            assertThat(d.counters().linesMalformed.sum()).isEqualTo(malformed);
            assertThat(d.counters().linesOversized.sum()).isEqualTo(oversized);
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(valid);
            assertThat(d.counters().events.get("alert")).isEqualTo(forwarded.size());
            long genFlows = gen.expected().values().stream().mapToLong(s -> s.flowCount).sum();
            assertThat(d.counters().events.get("flow")).isEqualTo(genFlows + corpusFlows);
            assertThat(d.counters().eventsForwarded.sum()).isEqualTo(forwarded.size());

            long aggregates = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.lineCount() == forwarded.size() + aggregates);
            List<String> raw = sink.lines().stream().filter(l -> !Aggregates.isAggregate(l)).toList();
            assertThat(raw).containsExactlyElementsOf(forwarded);
            Map<FlowGen.Key, FlowGen.Sums> sums = Aggregates.sum(sink.lines());
            assertThat(sums.entrySet().stream().filter(e -> gen.expected().containsKey(e.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))).isEqualTo(gen.expected());
            assertThat(sums.values().stream().mapToLong(s -> s.flowCount).sum()).isEqualTo(genFlows + corpusFlows);
        }
    }
}

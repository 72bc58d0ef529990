package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.MalformedCorpus;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 over a real socket: every line ends decoded, malformed or oversized, each counted;
 * the valid lines around bad ones arrive intact (aggregated sums exact, forwarded lines byte-identical).
 */
class MalformedInputTest {
    @TempDir
    Path dir;

    @Test
    void everyKindOfBadLineIsCountedAndValidLinesAroundItAreIntact() throws Exception {
        List<MalformedCorpus.Case> corpus = MalformedCorpus.cases();
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "input:\n  max-line-length: 4KiB\n", TestDaemon.flags("1h", "alert"));
            FlowGen gen = new FlowGen(50, 7);
            List<String> alerts = new ArrayList<>();
            int valid = 0;
            try (EveWriter w = new EveWriter(d.in)) {
                for (int round = 0; round < 3; round++) {
                    for (MalformedCorpus.Case c : corpus) {
                        w.line(gen.next());
                        w.raw(c.line()).raw(new byte[] {'\n'});
                        String alert = "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\","
                                + "\"src_ip\":\"10.9.9.9\",\"alert\":{\"signature\":\"case " + c.name() + " ü\\\"\"}}";
                        alerts.add(alert);
                        w.line(alert);
                        valid += 2;
                    }
                    // An oversized line (over 4 KiB) between two valid ones, sent in pieces.
                    w.raw(("{\"event_type\":\"alert\",\"x\":\"" + "A".repeat(3000)).getBytes(StandardCharsets.UTF_8));
                    w.flush();
                    w.raw(("B".repeat(3000) + "\"}\n").getBytes(StandardCharsets.UTF_8));
                    // CRLF line ending: accepted, forwarded with '\n'.
                    String crlf = "{\"event_type\":\"alert\",\"round\":" + round + "}";
                    alerts.add(crlf);
                    w.raw((crlf + "\r\n").getBytes(StandardCharsets.UTF_8));
                    valid++;
                }
                w.line(gen.next());
                valid++;
                // A fragment without newline at EOF: malformed.
                w.raw("{\"event_type\":\"alert\",\"cut\":".getBytes(StandardCharsets.UTF_8));
            }
            int expectedMalformed = 3 * corpus.size() + 1;
            int expectedTotal = valid + expectedMalformed + 3;
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesReceived() == expectedTotal
                    && d.counters().connectionsActive.get() == 0);
            d.stop();

            assertThat(d.counters().linesMalformed.sum()).isEqualTo(expectedMalformed);
            assertThat(d.counters().linesOversized.sum()).isEqualTo(3);
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(valid);
            assertThat(d.counters().events.get("alert")).isEqualTo(alerts.size());
            assertThat(d.counters().events.get("flow")).isEqualTo(gen.expected().values().stream()
                    .mapToLong(s -> s.flowCount).sum());
            assertThat(d.counters().eventsForwarded.sum()).isEqualTo(alerts.size());

            long aggregates = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.lineCount() == alerts.size() + aggregates);
            List<String> raw = new ArrayList<>();
            for (String l : sink.lines()) {
                if (!Aggregates.isAggregate(l)) {
                    raw.add(l);
                }
            }
            assertThat(raw).containsExactlyElementsOf(alerts);
            Map<FlowGen.Key, FlowGen.Sums> sums = Aggregates.sum(sink.lines());
            assertThat(sums).isEqualTo(gen.expected());
        }
    }
}

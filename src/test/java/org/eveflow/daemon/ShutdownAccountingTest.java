package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eveflow.counters.Counters;
import org.eveflow.counters.OutputCounters;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 at exit: when stop returns, every flow added to the table is in an aggregate handed to
 * the outputs or counted unflushed, and each output's books balance (invariant 3), also when the
 * reader is absent, slow or stalled and the grace period ends with a periodic flush blocked on a full
 * output buffer. Nothing may change in the counters after stop: the final report is final.
 */
class ShutdownAccountingTest {
    /** Keys per run: far more aggregates than the output's buffer holds, so every flush blocks. */
    private static final int KEYS = 20_000;
    private static final int FLOWS = 60_000;
    private static final String YAML = """
            shutdown-grace: 1s
            outputs:
              default:
                buffer-lines: 600
                buffer-bytes: 64KiB
            """;

    @TempDir
    Path dir;

    enum Reader { ABSENT, SLOW, STALLED }

    @Test
    void absentReader() throws Exception {
        run(Reader.ABSENT);
    }

    @Test
    void slowReader() throws Exception {
        run(Reader.SLOW);
    }

    @Test
    void stalledReader() throws Exception {
        run(Reader.STALLED);
    }

    private void run(Reader reader) throws Exception {
        LineSink sink = reader == Reader.ABSENT ? null : new LineSink(dir.resolve("out.sock"));
        try {
            if (reader == Reader.SLOW) {
                sink.slowDown(50);
            } else if (reader == Reader.STALLED) {
                sink.pause();
            }
            TestDaemon d = TestDaemon.start(dir, YAML, TestDaemon.flags("2s"));
            Counters c = d.counters();
            FlowGen gen = new FlowGen(KEYS, 7);
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < FLOWS; i++) {
                    w.line(gen.next());
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> c.linesReceived() == FLOWS);
            assertThat(c.flushes.sum()).as("all flows in the first window").isZero();
            // the first periodic flush has started and waits for room in the output's buffer
            await().atMost(Duration.ofSeconds(30)).until(() -> c.aggregatesEmitted.sum() > 0);
            d.stop();

            Map<String, Long> atStop = c.snapshot();
            OutputCounters out = c.output("default");
            assertThat(atStop.get("flows_aggregated")).isEqualTo(FLOWS);
            assertThat(atStop.get("flows_emitted") + atStop.get("flows_unflushed"))
                    .as("every flow in an emitted aggregate or counted unflushed").isEqualTo(FLOWS);
            assertThat(atStop.get("aggregates_emitted") + atStop.get("aggregates_lost"))
                    .as("every key of every window").isEqualTo(gen.expected().size());
            assertThat(out.offered.sum()).isEqualTo(atStop.get("aggregates_emitted"));
            assertThat(out.offered.sum()).as("invariant 3 at exit")
                    .isEqualTo(out.written.sum() + out.dropped() + out.bufferedLines.get() + out.inFlight.get());
            assertThat(c.snapshot()).as("nothing changes after stop").isEqualTo(atStop);
        } finally {
            if (sink != null) {
                sink.close();
            }
        }
    }
}

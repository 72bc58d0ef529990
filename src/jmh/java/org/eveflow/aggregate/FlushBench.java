package org.eveflow.aggregate;

import java.util.concurrent.TimeUnit;
import org.eveflow.bench.BenchData;
import org.eveflow.event.EveEvent;
import org.eveflow.event.EveParser;
import org.eveflow.counters.Counters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One flush of a table holding 1M keys: swap, encode every aggregate, hand it to a discarding sink. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class FlushBench {
    private static final int KEYS = 1_000_000;
    private EveEvent[] events;
    private FlowTable table;
    private FlushTask flush;
    long bytes;

    @Setup(Level.Trial)
    public void decode() throws Exception {
        EveParser p = new EveParser();
        events = new EveEvent[KEYS];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int k = 0; k < KEYS; k++) {
            byte[] l = BenchData.flow(r, k).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            events[k] = p.parse(l, 0, l.length);
        }
    }

    @Setup(Level.Invocation)
    public void fill() {
        Counters c = new Counters();
        table = new FlowTable(2 * KEYS, 100, 100_000_000L, c);
        for (EveEvent e : events) {
            table.add(e);
        }
        flush = new FlushTask(table, (block, len, lines, deadline) -> bytes += len, c, null);
    }

    @Benchmark
    public long flush1MKeys() {
        flush.flush(false);
        return bytes;
    }
}

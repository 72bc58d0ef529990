package org.eveflow.aggregate;

import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** FlowTable.add: flow events/s with 10k and 1M distinct keys, from 1 and from 2 threads. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class FlowTableBench {
    /** The table and its pre-decoded events, shared by the benchmark threads. */
    @State(Scope.Benchmark)
    public static class Table {
        @Param({"10000", "1000000"})
        public int keys;
        FlowTable table;
        EveEvent[] events;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            EveParser p = new EveParser();
            byte[][] lines = BenchData.flowLines(1 << 21, keys, 2);
            events = new EveEvent[lines.length];
            for (int i = 0; i < lines.length; i++) {
                events[i] = p.parse(lines[i], 0, lines[i].length);
            }
            table = new FlowTable(4_000_000, 100, 100_000_000L, new Counters());
            System.out.println(new String(lines[0], StandardCharsets.UTF_8).length() + " bytes per line");
        }
    }

    /** Each thread walks the events from its own offset. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().getId() * 7919);
    }

    @Benchmark
    @Threads(1)
    public boolean add1Thread(Table t, Cursor c) {
        return t.table.add(t.events[c.next++ & (t.events.length - 1)]);
    }

    @Benchmark
    @Threads(2)
    public boolean add2Threads(Table t, Cursor c) {
        return t.table.add(t.events[c.next++ & (t.events.length - 1)]);
    }
}

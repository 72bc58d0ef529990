package org.eveflow.aggregate;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Output encoding: aggregate lines/s for a key with 5 listed src ports. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AggregateEncoderBench {
    private final AggregateEncoder encoder = new AggregateEncoder();
    private final FlowWindow window = new FlowWindow();
    private int entry;

    @Setup
    public void setup() {
        entry = window.insert(FlowKey.hash("10.1.2.3", "192.168.1.10", 443), "10.1.2.3", "192.168.1.10", 443, "");
        for (int p = 0; p < 5; p++) {
            window.add(entry, new org.eveflow.event.EveEvent("flow", "2026-11-28T10:00:00.123456+0000", "10.1.2.3",
                    50_000 + p, "192.168.1.10", 443, 24, 20, 3_000, 18_000));
            window.listPort(entry, 50_000 + p, Integer.MAX_VALUE);
        }
    }

    @Benchmark
    public byte[] encodeAggregate() {
        return encoder.encode(window, entry);
    }
}

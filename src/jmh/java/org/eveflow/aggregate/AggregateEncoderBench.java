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
    private final FlowKey key = new FlowKey("10.1.2.3", "192.168.1.10", 443);
    private final FlowRecord record = new FlowRecord();

    @Setup
    public void setup() {
        record.timestamp = "2026-11-28T10:00:00.123456+0000";
        for (int p = 0; p < 5; p++) {
            record.listPort(50_000 + p);
        }
        record.flowCount = 5;
        record.pktsToServer = 120;
        record.pktsToClient = 100;
        record.bytesToServer = 15_000;
        record.bytesToClient = 90_000;
    }

    @Benchmark
    public byte[] encodeAggregate() {
        return encoder.encode(key, record);
    }
}

package org.eveflow.event;

import java.util.concurrent.TimeUnit;
import org.eveflow.bench.BenchData;
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

/**
 * EVE decoding on one core: lines/s (score) of Suricata-like flow records (~900 bytes; the mean is
 * printed at setup so bytes/s = score × mean). Run with {@code -prof gc} for allocation per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EveParserBench {
    private final EveParser parser = new EveParser();
    private byte[][] lines;
    private int next;

    @Setup
    public void setup() {
        lines = BenchData.flowLines(16_384, 10_000, 1);
        long bytes = 0;
        for (byte[] l : lines) {
            bytes += l.length;
        }
        System.out.println("mean line length " + bytes / lines.length + " bytes");
    }

    @Benchmark
    public EveEvent decodeFlowLine() throws MalformedEventException {
        byte[] l = lines[next++ & (lines.length - 1)];
        return parser.parse(l, 0, l.length);
    }
}

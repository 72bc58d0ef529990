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
 * EVE decoding on one core: lines/s (score) of Suricata-like flow records (~640 bytes; the mean is
 * printed at setup so bytes/s = score × mean), a parser per line and one parser per batch. Run with {@code -prof gc} for allocation per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EveParserBench {
    private static final int BATCH = 512;
    private final EveParser parser = new EveParser();
    private final EveLines batch = new EveLines(parser);
    private byte[][] lines;
    private int next;
    private byte[] joined;
    private int[] starts;
    private int[] ends;
    private final EveEvent[] out = new EveEvent[BATCH];
    private final MalformedEventException[] errors = new MalformedEventException[BATCH];

    @Setup
    public void setup() {
        lines = BenchData.flowLines(16_384, 10_000, 1);
        long bytes = 0;
        for (byte[] l : lines) {
            bytes += l.length;
        }
        System.out.println("mean line length " + bytes / lines.length + " bytes");
        starts = new int[BATCH];
        ends = new int[BATCH];
        joined = join(lines, 0, starts, ends);
    }

    /** Lines {@code from .. from + BATCH} each followed by '\n', as the daemon's decode buffer holds them; fills their bounds. */
    static byte[] join(byte[][] lines, int from, int[] starts, int[] ends) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < BATCH; i++) {
            starts[i] = o.size();
            o.writeBytes(lines[from + i]);
            ends[i] = o.size();
            o.write('\n');
        }
        return o.toByteArray();
    }

    /**
     * 64 batches of distinct lines (~21 MB, far more than the caches), decoded one after another; a state
     * of its own so that generating them does not run (and keep the JIT busy) for the other benchmarks.
     */
    @State(Scope.Thread)
    public static class DistinctLines {
        private static final int BATCHES = 64;
        final byte[][] joined = new byte[BATCHES][];
        final int[][] starts = new int[BATCHES][BATCH];
        final int[][] ends = new int[BATCHES][BATCH];
        int next;

        @Setup
        public void setup() {
            byte[][] many = BenchData.flowLines(BATCH * BATCHES, 10_000, 2);
            for (int b = 0; b < BATCHES; b++) {
                joined[b] = join(many, b * BATCH, starts[b], ends[b]);
            }
        }
    }

    /** The daemon's way: one parser for a batch of 512 lines (score is lines/s). */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    public EveEvent[] decodeBatchOfLines() {
        batch.parseLines(joined, starts, ends, BATCH, out, errors);
        return out;
    }

    /**
     * The same, over 32,768 distinct lines (~21 MB) instead of the same 512 (~330 KB, which stay in the
     * core's cache): closer to the daemon, which never sees a line twice.
     */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(BATCH)
    @Warmup(iterations = 6, time = 2) // generating the lines leaves the JIT busy for ~8 s
    public EveEvent[] decodeBatchOfDistinctLines(DistinctLines d) {
        int b = d.next++ & (DistinctLines.BATCHES - 1);
        batch.parseLines(d.joined[b], d.starts[b], d.ends[b], BATCH, out, errors);
        return out;
    }

    @Benchmark
    public EveEvent decodeFlowLine() throws MalformedEventException {
        byte[] l = lines[next++ & (lines.length - 1)];
        return parser.parse(l, 0, l.length);
    }
}

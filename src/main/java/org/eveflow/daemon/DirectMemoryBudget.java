package org.eveflow.daemon;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eveflow.config.Config;
import org.eveflow.config.Keys;
import org.eveflow.ingest.EveServer;

/**
 * The off-heap memory a configuration bounds (docs/operations.md "Memory sizing"): the input's read buffers and its
 * read-ahead (lines read and not yet decoded, {@link EveServer#READ_AHEAD_BYTES}), each output's
 * buffer-bytes as the buffer pool holds them (each line rounded up to its size class, at most a quarter
 * more) plus one block, and the pool's partly used chunks; compared with the JVM's direct-memory limit.
 * When the bound is larger, the outputs' buffer-bytes are reduced in proportion until it fits (to at
 * least {@value #MIN_BUFFER_BYTES} bytes each) and the daemon warns, so the operator can raise the
 * limit: a full output buffer drops its lines at once (counted), while direct memory that runs out
 * makes allocations wait in the JVM's own retries (a full GC and up to ~0.5 s each, on the thread
 * that asked: decode threads, the flush, the input's reads), which stalls ingest. Immutable.
 */
final class DirectMemoryBudget {
    /** One aggregate block beyond an output's buffer-bytes (or its write batch, up to write-buffer-high, if larger). */
    static final long BLOCK = 64 * 1024;
    /** The least buffer-bytes an output is given when direct memory is short. */
    static final long MIN_BUFFER_BYTES = 1 << 20;

    private final long maxDirectMemory;
    private final long poolSlack;

    /**
     * {@code poolSlack}: what the buffer pool may hold beyond the bytes in use, its partly used chunks
     * (one per arena).
     */
    DirectMemoryBudget(long maxDirectMemory, long poolSlack) {
        this.maxDirectMemory = maxDirectMemory;
        this.poolSlack = poolSlack;
    }

    /** The budget of this JVM: its limit, and Netty's pooled allocator's arenas times its chunk size. */
    static DirectMemoryBudget ofThisJvm() {
        PooledByteBufAllocatorMetric pool = PooledByteBufAllocator.DEFAULT.metric();
        return new DirectMemoryBudget(PlatformDependent.maxDirectMemory(),
                (long) pool.numDirectArenas() * pool.chunkSize());
    }

    /** The configuration's worst case for direct memory, in bytes. */
    long bound(Config config) {
        long outputs = 0;
        for (Config.Output o : config.outputs()) {
            outputs += pooled(o.bufferBytes()) + Math.max(BLOCK, o.writeBufferHigh());
        }
        return input(config) + outputs + poolSlack;
    }

    private static long pooled(long bufferBytes) {
        return bufferBytes + bufferBytes / 4;
    }

    private static long input(Config config) {
        return (long) config.input().maxConnections() * 2 * config.input().maxLineLength()
                + EveServer.READ_AHEAD_BYTES;
    }

    /**
     * A configuration fitted to the limit: the configuration itself if its bound fits, else with each
     * output's buffer-bytes reduced in proportion so that it does (none below {@link #MIN_BUFFER_BYTES}),
     * and then the warning that names the old and new sizes (null when nothing was reduced).
     */
    record Fitted(Config config, String warning) {
    }

    Fitted fit(Config config) {
        long bound = bound(config);
        if (bound <= maxDirectMemory) {
            return new Fitted(config, null);
        }
        long room = maxDirectMemory - input(config) - BLOCK * config.outputs().size() - poolSlack;
        long wanted = 0;
        for (Config.Output o : config.outputs()) {
            wanted += pooled(o.bufferBytes());
        }
        List<Config.Output> outputs = new ArrayList<>();
        for (Config.Output o : config.outputs()) {
            long share = (long) ((double) o.bufferBytes() * Math.max(0, room) / wanted);
            outputs.add(o.with(Keys.BUFFER_BYTES, Math.min(o.bufferBytes(), Math.max(MIN_BUFFER_BYTES, share))));
        }
        Config fitted = config.withOutputs(outputs);
        return new Fitted(fitted, warning(config, fitted, bound));
    }

    /** The warning for {@code config}, whose {@code bound} exceeds the limit, reduced to {@code fitted}. */
    private String warning(Config config, Config fitted, long bound) {
        StringBuilder reduced = new StringBuilder();
        for (int i = 0; i < config.outputs().size(); i++) {
            Config.Output o = config.outputs().get(i);
            reduced.append(i == 0 ? "" : ", ").append(o.name()).append(' ').append(mib(o.bufferBytes())).append(" -> ")
                    .append(mib(fitted.outputs().get(i).bufferBytes()));
        }
        return String.format(Locale.ROOT, "off-heap buffers may need up to %d MiB (input: max-connections %d x 2 x"
                + " max-line-length %d MiB + %d MiB read-ahead; outputs: 5/4 x buffer-bytes + 64 KiB each, %d outputs; the buffer pool's"
                + " partly used chunks: %d MiB) but the JVM allows %d MiB of direct memory (-XX:MaxDirectMemorySize):"
                + " buffer-bytes reduced to fit (%s); raise the limit or lower those settings",
                (bound + (1 << 20) - 1) >> 20, config.input().maxConnections(), config.input().maxLineLength() >> 20,
                EveServer.READ_AHEAD_BYTES >> 20, config.outputs().size(), poolSlack >> 20, maxDirectMemory >> 20, reduced);
    }

    private static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB"
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }
}

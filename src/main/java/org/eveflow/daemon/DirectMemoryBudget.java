package org.eveflow.daemon;

import org.eveflow.config.Config;

/**
 * The off-heap memory the configuration bounds (README "Memory": the input's read buffers, each
 * output's buffer-bytes plus one block), compared with the JVM's direct-memory limit at startup. When
 * the bound is larger, lines can be dropped under back-pressure for want of direct memory (counted,
 * see {@code Outputs}); the daemon warns once so the operator can raise the limit. Pure.
 */
final class DirectMemoryBudget {
    /** One aggregate block or write batch beyond an output's buffer-bytes. */
    static final long BLOCK = 64 * 1024;

    private DirectMemoryBudget() {
    }

    /** The configuration's worst case for direct memory, in bytes. */
    static long bound(Config config) {
        long input = (long) config.input().maxConnections() * 2 * config.input().maxLineLength();
        long outputs = 0;
        for (Config.Output o : config.outputs()) {
            outputs += o.bufferBytes() + BLOCK;
        }
        return input + outputs;
    }

    /** A warning if the bound exceeds {@code maxDirectMemory}, else null. */
    static String check(Config config, long maxDirectMemory) {
        long bound = bound(config);
        if (bound <= maxDirectMemory) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "off-heap buffers may need up to %d MiB (input: max-connections %d"
                + " x 2 x max-line-length %d MiB; outputs: buffer-bytes + 64 KiB each, %d outputs) but the JVM allows"
                + " %d MiB of direct memory (-XX:MaxDirectMemorySize): under back-pressure lines to forward are then"
                + " dropped (counted in output_dropped_full); raise the limit or lower those settings",
                (bound + (1 << 20) - 1) >> 20, config.input().maxConnections(), config.input().maxLineLength() >> 20,
                config.outputs().size(), maxDirectMemory >> 20);
    }
}

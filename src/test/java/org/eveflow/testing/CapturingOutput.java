package org.eveflow.testing;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.eveflow.config.Config;
import org.eveflow.output.Output;
import org.eveflow.counters.OutputCounters;

/**
 * An output that keeps the raw lines offered to it, in order (each with its '\n'), and the line
 * count of each block; counts them offered and written at once. Thread-safe.
 */
public final class CapturingOutput implements Output {
    public final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    public final List<Integer> blocks = Collections.synchronizedList(new ArrayList<>());
    private final OutputCounters counters;
    private final Config.Output config;

    public CapturingOutput(OutputCounters counters, Set<String> types) {
        this.counters = counters;
        this.config = Configs.output(counters.name, Path.of("/nonexistent"), "types: " + types + "\naggregates: false\n"
                + "buffer-lines: 1000000\nbuffer-bytes: 1GiB\nreconnect-backoff-max: 1s");
    }

    @Override
    public Config.Output config() {
        return config;
    }

    @Override
    public OutputCounters counters() {
        return counters;
    }

    @Override
    public void start() {
    }

    @Override
    public void offerRaw(ByteBuf block, int n) {
        counters.offered.add(n);
        String text = block.toString(StandardCharsets.UTF_8);
        block.release();
        if (!text.endsWith("\n")) {
            throw new AssertionError("a block must end with a line's '\\n': " + text);
        }
        List<String> split = new ArrayList<>();
        for (int from = 0, lf; from < text.length(); from = lf + 1) {
            lf = text.indexOf('\n', from);
            split.add(text.substring(from, lf + 1));
        }
        if (split.size() != n) {
            throw new AssertionError("block of " + split.size() + " lines offered as " + n);
        }
        lines.addAll(split);
        blocks.add(n);
        counters.written.add(n);
    }

    @Override
    public void offerAggregates(ByteBuf block, int n, java.util.function.LongSupplier deadline) {
        block.release();
    }

    @Override
    public void dropUncopied(int n) {
        counters.offered.add(n);
        counters.droppedFull.add(n);
    }

    @Override
    public void reconfigure(Config.Output reloaded) {
    }

    @Override
    public void onFailed(Runnable action) {
    }

    @Override
    public boolean idle() {
        return true;
    }

    @Override
    public long drainAndClose(long deadlineNanos) {
        return 0;
    }
}

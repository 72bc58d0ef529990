package org.eveflow.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The end-to-end bench's input: a seeded Suricata-like stream of flow events over a number of keys
 * (and, mixed, alert and dns events), written to a file once and reused by later runs.
 */
final class StreamGenerator {
    private StreamGenerator() {
    }

    /** The stream {@code name} of {@code count} events in {@code dir}, generated once (seeded) and kept. */
    static Path generate(Path dir, String name, long count, int keys, boolean mixed, long seed) throws IOException {
        Path f = dir.resolve(name + "-" + count + ".eve");
        if (Files.exists(f)) {
            return f;
        }
        SplittableRandom r = new SplittableRandom(seed);
        Path tmp = dir.resolve(name + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            for (long i = 0; i < count; i++) {
                String line = mixed && i % 4 == 3 ? BenchData.other(r, (int) i) : BenchData.flow(r, r.nextInt(keys));
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        Files.move(tmp, f);
        return f;
    }
}

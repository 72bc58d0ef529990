package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.eveflow.config.Config;
import org.eveflow.counters.OutputCounters;
import org.eveflow.testing.FailingAllocator;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When direct memory runs out, lines to forward are dropped and counted per output, and no further
 * allocation is tried for a while (each failed one is costly); nothing else breaks.
 */
class NoDirectMemoryTest {
    @TempDir
    Path dir;

    @Test
    void linesWithoutMemoryAreCountedDroppedOnEachOutputThatWouldTakeThem() throws Exception {
        Path out = dir.resolve("out.sock");
        try (TestForwarder output = new TestForwarder(org.eveflow.testing.Configs.output("alerts", out,
                "types: [alert]\nbuffer-lines: 1000\nbuffer-bytes: 1MiB\nreconnect-backoff-max: 100ms"));
             LineSink sink = new LineSink(out)) {
            OutputCounters o = output.counters;
            FailingAllocator alloc = FailingAllocator.directMemoryFullAfter(3);
            Outputs outputs = new Outputs(List.of(output.forwarder), alloc);
            outputs.start();
            byte[] line = "{\"event_type\":\"alert\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 5; i++) { // five batches of a line each
                RawLineBlocks batch = outputs.newBlocks();
                batch.add(outputs.forwarding("alert"), line, 0, line.length, new byte[0]);
                batch.seal();
                assertThat(batch.blockCount()).as("line %d copied", i).isEqualTo(i < 3 ? 1 : 0);
                batch.offer();
            }
            byte[] block = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n".getBytes(StandardCharsets.UTF_8);
            outputs.offerAggregates(block, block.length, 4, () -> Long.MAX_VALUE);

            assertThat(alloc.attempts()).as("the fifth line and the block were not tried").isEqualTo(4);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.lineCount() == 3 && o.written.sum() == 3);
            assertThat(o.offered.sum()).isEqualTo(5 + 4);
            assertThat(o.droppedFull.sum()).isEqualTo(2 + 4);
            assertThat(o.dropped()).isEqualTo(6);
            assertThat(sink.lines()).containsOnly("{\"event_type\":\"alert\"}");
        }
    }
}

package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eveflow.config.Config;
import org.eveflow.counters.OutputCounters;
import org.eveflow.testing.Delivery;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregates reach an output in blocks of many lines: a block is buffered and counted as its lines,
 * and a write that a dying connection cuts in the middle of a block still delivers lines whole, in
 * order and at most once: the lines the kernel took whole count as written, a line it took in part
 * is dropped, and the untouched rest goes out on the next connection.
 */
class LineBlocksTest {
    @TempDir
    Path dir;

    /** Direct, as the outputs hand lines to a forwarder. */
    private static ByteBuf lines(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return Unpooled.directBuffer(b.length).writeBytes(b);
    }

    @Test
    void aFailedWriteSplitsItsBlockAtLineEnds() {
        ByteBuf b = lines("a\nbb\nccc\n"); // lines end at 1, 4 and 8
        assertThat(FailedWrite.of(b, 0, 0, 3)).isEqualTo(new FailedWrite(0, false, 0, 3));
        assertThat(FailedWrite.of(b, 0, 1, 3)).isEqualTo(new FailedWrite(0, true, 2, 2));
        assertThat(FailedWrite.of(b, 0, 2, 3)).isEqualTo(new FailedWrite(1, false, 2, 2));
        assertThat(FailedWrite.of(b, 0, 3, 3)).isEqualTo(new FailedWrite(1, true, 5, 1));
        assertThat(FailedWrite.of(b, 0, 5, 3)).isEqualTo(new FailedWrite(2, false, 5, 1));
        assertThat(FailedWrite.of(b, 0, 6, 3)).isEqualTo(new FailedWrite(2, true, 9, 0));
        assertThat(FailedWrite.of(b, 2, 4, 2)).isEqualTo(new FailedWrite(1, true, 9, 0)); // a slice from "bb"
        assertThat(FailedWrite.lineEnds(b, 0, 9)).isEqualTo(3);
        b.release();
    }

    @Test
    void queueCountsLinesAndBytesOfItsBlocksInOrder() {
        LineQueue q = new LineQueue();
        for (int i = 0; i < 40; i++) { // past its first capacity, wrapping around
            q.addLast(lines("x\n".repeat(i + 1)), i + 1);
            if (i % 3 == 0) {
                q.addFirst(lines("y\n"), 1);
            }
        }
        assertThat(q.size()).isEqualTo(54);
        assertThat(q.lines()).isEqualTo(40 * 41 / 2 + 14);
        assertThat(q.bytes()).isEqualTo(2 * q.lines());
        assertThat(q.lastLines()).isEqualTo(40);
        q.pollLast().release();
        for (int i = 0; i < 14; i++) {
            assertThat(q.firstLines()).isEqualTo(1);
            ByteBuf y = q.pollFirst();
            assertThat(y.toString(StandardCharsets.US_ASCII)).isEqualTo("y\n");
            y.release();
        }
        for (int i = 1; i < 40; i++) {
            assertThat(q.firstLines()).isEqualTo(i);
            q.pollFirst().release();
        }
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.lines()).isZero();
        assertThat(q.bytes()).isZero();
        assertThat(q.pollFirst()).isNull();
    }

    @Test
    void readerKilledInTheMiddleOfBlocksGetsWholeLinesOnceAndInOrder() throws Exception {
        Path out = dir.resolve("out.sock");
        TestForwarder output = new TestForwarder(org.eveflow.testing.Configs.output("blocks", out,
                "types: []\nbuffer-lines: 1000000\nbuffer-bytes: 64MiB\nreconnect-backoff-max: 100ms"));
        OutputCounters o = output.counters;
        SocketForwarder f = output.forwarder;
        // blocks of ~1.2 MB, more than the kernel's socket buffer: the kernel takes a block in parts
        // (the flush's blocks are smaller, but a write batch of several can end inside one)
        int blocks = 40;
        int perBlock = 10_000;
        List<String> sent = new ArrayList<>();
        LineSink first = new LineSink(out);
        LineSink second = null;
        try {
            f.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (int b = 0; b < blocks; b++) {
                StringBuilder block = new StringBuilder();
                for (int i = 0; i < perBlock; i++) {
                    String line = "{\"seq\":" + (b * perBlock + i) + ",\"pad\":\"" + "p".repeat(50 + (b * 7 + i) % 97) + "\"}";
                    sent.add(line);
                    block.append(line).append('\n');
                }
                f.offerAggregates(lines(block.toString()), perBlock, () -> deadline);
                if (b == blocks / 2) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> first.lineCount() > 0);
                    first.pause(); // the reader hangs, the kernel's buffer for it fills up ...
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> o.bufferedLines.get() > 0);
            first.close(); // ... and it is killed: what the kernel held for it is lost
            second = new LineSink(out);
            LineSink s2 = second;
            String last = sent.get(sent.size() - 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> last.equals(s2.lastLine()) && f.idle());
            int resume = Delivery.assertOneRunMissing(sent, first, s2);
            int firstCount = first.lineCount();
            assertThat(o.offered.sum()).isEqualTo(blocks * perBlock);
            assertThat(o.inFlight.get()).isZero();
            assertThat(o.bufferedLines.get()).isZero();
            assertThat(o.offered.sum()).isEqualTo(o.written.sum() + o.dropped());
            assertThat(o.droppedDisconnect.sum()).isLessThanOrEqualTo(1);
            assertThat(o.dropped()).isEqualTo(o.droppedDisconnect.sum());
            // written counts what the kernel took: everything that arrived, plus what it held for the dead reader
            assertThat(o.written.sum()).isEqualTo(sent.size() - o.droppedDisconnect.sum());
            System.out.printf("reader killed mid-blocks: %d lines lost in the kernel, %d cut%n",
                    resume - firstCount - o.droppedDisconnect.sum(), o.droppedDisconnect.sum());
        } finally {
            output.close();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}

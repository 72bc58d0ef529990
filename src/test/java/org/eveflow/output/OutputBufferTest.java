package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eveflow.counters.Counters;
import org.eveflow.counters.OutputCounters;
import org.junit.jupiter.api.Test;

/**
 * {@link OutputBuffer}'s admission and accounting without a connection: invariant 3 (every line
 * offered is queued, taken, or dropped under exactly one cause) and invariant 7 (aggregates wait for
 * room; raw lines are dropped while they wait).
 */
class OutputBufferTest {
    private final OutputCounters counters = new Counters().newOutput("test");

    private static ByteBuf line(String s) {
        return Unpooled.directBuffer().writeBytes((s + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private List<String> takeAll(OutputBuffer b) {
        ByteBuf[] bufs = new ByteBuf[16];
        int[] lines = new int[16];
        List<String> out = new ArrayList<>();
        for (int n; (n = b.takeBatch(bufs, lines, 16, 1 << 20)) > 0; ) {
            for (int i = 0; i < n; i++) {
                out.add(bufs[i].toString(StandardCharsets.US_ASCII));
                bufs[i].release();
                counters.written.add(lines[i]);
                counters.inFlight.addAndGet(-lines[i]);
            }
        }
        return out;
    }

    private void assertAccounted() {
        assertThat(counters.offered.sum()).isEqualTo(counters.written.sum() + counters.dropped()
                + counters.bufferedLines.get() + counters.inFlight.get());
    }

    @Test
    void rawLinesAreDroppedNewestFirstWhenTheBufferIsFull() {
        OutputBuffer b = new OutputBuffer(3, 1 << 20, counters);
        for (int i = 0; i < 5; i++) {
            b.offerRaw(line("r" + i), 1);
        }
        assertThat(counters.droppedFull.sum()).isEqualTo(2);
        assertThat(counters.bufferedLines.get()).isEqualTo(3);
        assertAccounted();
        assertThat(takeAll(b)).containsExactly("r0\n", "r1\n", "r2\n");
        assertAccounted();
        assertThat(b.idle()).isTrue();
    }

    @Test
    void aBlockOfRawLinesIsQueuedAsFarAsThereIsRoomAndTheRestDroppedLineByLine() {
        OutputBuffer b = new OutputBuffer(5, 1 << 20, counters);
        assertThat(b.offerRaw(line("a0\na1\na2"), 3)).isTrue();
        assertThat(b.offerRaw(line("b0\nb1\nb2"), 3)).as("room for two more lines").isTrue();
        assertThat(b.offerRaw(line("c0\nc1"), 2)).isFalse();
        assertThat(counters.offered.sum()).isEqualTo(8);
        assertThat(counters.droppedFull.sum()).isEqualTo(3);
        assertThat(counters.bufferedLines.get()).isEqualTo(5);
        assertAccounted();
        assertThat(takeAll(b)).containsExactly("a0\na1\na2\n", "b0\nb1\n");
        assertAccounted();

        OutputBuffer bytes = new OutputBuffer(100, 10, counters); // 10 bytes: "d0\nd1\nd2\n" fits, "d3\n" not
        assertThat(bytes.offerRaw(line("d0\nd1\nd2\nd3\nd4"), 5)).isTrue();
        assertThat(takeAll(bytes)).containsExactly("d0\nd1\nd2\n");
        assertThat(counters.droppedFull.sum()).isEqualTo(3 + 2);
        OutputBuffer empty = new OutputBuffer(100, 4, counters); // an empty buffer takes a first line over the limit
        assertThat(empty.offerRaw(line("longer\nx"), 2)).isTrue();
        assertThat(takeAll(empty)).containsExactly("longer\n");
        assertThat(counters.droppedFull.sum()).isEqualTo(3 + 2 + 1);
        assertAccounted();
    }

    @Test
    void anEmptyBufferTakesOneLineLongerThanItsByteLimit() {
        OutputBuffer b = new OutputBuffer(10, 4, counters);
        assertThat(b.offerRaw(line("longer than four bytes"), 1)).isTrue();
        assertThat(b.offerRaw(line("x"), 1)).isFalse();
        assertAccounted();
    }

    @Test
    void aggregatesWaitForRoomAndRawLinesAreDroppedWhileTheyWait() throws Exception {
        OutputBuffer b = new OutputBuffer(2, 1 << 20, counters);
        b.offerRaw(line("r0"), 1);
        b.offerRaw(line("r1"), 1);
        CompletableFuture<Boolean> aggregates = CompletableFuture.supplyAsync(() ->
                b.offerAggregates(line("a0\na1"), 2, deadlineIn(TimeUnit.SECONDS.toNanos(30))));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            // while the block waits, a raw line is dropped even if there would be room for it
            return !b.offerRaw(line("r2"), 1) && counters.droppedFull.sum() >= 1 && !aggregates.isDone();
        });
        ByteBuf[] bufs = new ByteBuf[2];
        int[] lines = new int[2];
        assertThat(b.takeBatch(bufs, lines, 2, 1 << 20)).isEqualTo(2); // room: the block goes in
        assertThat(bufs[0].toString(StandardCharsets.US_ASCII) + bufs[1].toString(StandardCharsets.US_ASCII))
                .isEqualTo("r0\nr1\n");
        for (int i = 0; i < 2; i++) {
            bufs[i].release();
            counters.written.increment();
            counters.inFlight.decrementAndGet();
        }
        assertThat(aggregates.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(takeAll(b)).containsExactly("a0\na1\n");
        assertAccounted();
    }

    @Test
    void aggregatesThatFindNoRoomByTheDeadlineAreDroppedAtShutdown() {
        OutputBuffer b = new OutputBuffer(1, 1 << 20, counters);
        b.offerRaw(line("r0"), 1);
        assertThat(b.offerAggregates(line("a0"), 1, deadlineIn(TimeUnit.MILLISECONDS.toNanos(50)))).isFalse();
        assertThat(counters.droppedShutdown.sum()).isEqualTo(1);
        assertAccounted();
    }

    @Test
    void linesPutBackGoToTheFrontInTheirOrder() {
        OutputBuffer b = new OutputBuffer(10, 1 << 20, counters);
        b.offerRaw(line("r0"), 1);
        b.offerRaw(line("r1"), 1);
        b.offerRaw(line("r2"), 1);
        ByteBuf[] bufs = new ByteBuf[2];
        int[] lines = new int[2];
        assertThat(b.takeBatch(bufs, lines, 2, 1 << 20)).isEqualTo(2);
        // the write of both failed before the kernel took a byte: they come back, r0 first
        counters.inFlight.addAndGet(-2);
        assertThat(b.putBack(bufs[0], 1)).isTrue();
        assertThat(b.putBack(bufs[1], 1)).isFalse();
        assertAccounted();
        b.requeuePutBack();
        assertThat(takeAll(b)).containsExactly("r0\n", "r1\n", "r2\n");
        assertAccounted();
    }

    @Test
    void disablingDropsWhatIsBufferedAndEverythingLater() {
        OutputBuffer b = new OutputBuffer(10, 1 << 20, counters);
        b.offerRaw(line("r0"), 1);
        b.offerRaw(line("r1"), 1);
        assertThat(b.disable()).isEqualTo(2);
        assertThat(counters.disabled.get()).isEqualTo(1);
        b.offerRaw(line("r2"), 1);
        assertThat(b.offerAggregates(line("a0"), 1, deadlineIn(0))).isFalse();
        assertThat(counters.droppedDisabled.sum()).isEqualTo(4);
        assertAccounted();
    }

    @Test
    void closingDropsWhatIsBufferedAndWhatIsPutBackAsShutdown() {
        OutputBuffer b = new OutputBuffer(10, 1 << 20, counters);
        b.offerRaw(line("r0"), 1);
        b.offerRaw(line("r1"), 1);
        ByteBuf[] bufs = new ByteBuf[1];
        int[] lines = new int[1];
        b.takeBatch(bufs, lines, 1, 1 << 20);
        counters.inFlight.addAndGet(-1);
        b.putBack(bufs[0], 1);
        assertThat(b.close()).isEqualTo(1);
        b.requeuePutBack();
        b.offerRaw(line("r2"), 1);
        assertThat(counters.droppedShutdown.sum()).isEqualTo(3);
        assertThat(counters.bufferedLines.get()).isZero();
        assertAccounted();
        assertThat(b.idle()).isTrue();
    }

    /** A fixed deadline {@code nanos} from now. */
    private static java.util.function.LongSupplier deadlineIn(long nanos) {
        long at = System.nanoTime() + nanos;
        return () -> at;
    }
}

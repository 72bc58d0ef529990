package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.eveflow.aggregate.FlowTable;
import org.eveflow.config.Config;
import org.eveflow.event.EveParser;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.output.AddedFields;
import org.eveflow.output.Output;
import org.eveflow.output.Outputs;
import org.eveflow.counters.Counters;
import org.eveflow.counters.OutputCounters;
import org.eveflow.testing.CapturingOutput;
import org.eveflow.testing.FailingAllocator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchDispatcher} on an {@link EmbeddedChannel} with a decode pool whose batches the test runs
 * itself, in any order: each output still gets the connection's lines in the order they were read
 * (invariant 8), every line is counted once as decoded, malformed or oversized (invariant 1), the
 * read-ahead returns to zero, and a batch whose decoding fails unexpectedly counts its lines as
 * malformed without holding up the batches after it.
 */
class BatchDispatcherTest {
    private final Counters counters = new Counters();
    private final Deque<Runnable> batches = new ArrayDeque<>();
    private final CapturingOutput output = new CapturingOutput(counters.newOutput("capture"), Set.of("dns"));
    private final ReadAhead readAhead = new ReadAhead(1 << 24, counters);

    private EmbeddedChannel channel(ByteBufAllocator alloc) {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(BatchDispatcherTest.class), 10_000);
        Outputs outputs = new Outputs(List.of(output), alloc);
        EventRouter router = new EventRouter(new FlowTable(1000, 10, 1000, counters), outputs, AddedFields.NONE, null);
        DecodePool pool = new DecodePool(batches::add);
        return new EmbeddedChannel(new BatchDispatcher(new BatchParser(log, 1 << 20, new EveParser()), router, outputs,
                counters, pool, readAhead));
    }

    /** One read of {@code n} dns lines numbered from {@code first} (large enough to go to the pool), one malformed line. */
    private static ByteBuf read(int first, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = first; i < first + n; i++) {
            b.append("{\"event_type\":\"dns\",\"n\":").append(i).append(",\"pad\":\"")
                    .append("x".repeat(100)).append("\"}\n");
        }
        b.append("not json\n");
        return Unpooled.copiedBuffer(b, StandardCharsets.US_ASCII);
    }

    private static String dns(int i) {
        return "{\"event_type\":\"dns\",\"n\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}\n";
    }

    @Test
    void batchesFinishedOutOfOrderReachTheOutputInReadOrder() {
        EmbeddedChannel ch = channel(UnpooledByteBufAllocator.DEFAULT);
        int perRead = 400; // ~50 KiB per read: more than INLINE_BYTES, so each read is a batch of its own
        for (int r = 0; r < 4; r++) {
            ch.writeInbound(read(r * perRead, perRead));
        }
        assertThat(batches).hasSize(4);
        assertThat(counters.inputReadAheadBytes.get()).isPositive();
        // the decode threads finish them last first
        while (!batches.isEmpty()) {
            batches.pollLast().run();
        }
        assertThat(output.lines).isEmpty(); // results are applied on the event loop
        ch.runPendingTasks();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4 * perRead; i++) {
            expected.add(dns(i));
        }
        assertThat(output.lines).containsExactlyElementsOf(expected);
        assertThat(counters.linesDecoded.sum()).isEqualTo(4 * perRead);
        assertThat(counters.linesMalformed.sum()).isEqualTo(4);
        assertThat(counters.linesReceived()).isEqualTo(4 * perRead + 4);
        assertThat(counters.events.get("dns")).isEqualTo(4 * perRead);
        assertThat(counters.inputReadAheadBytes.get()).isZero();
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aBatchThatFailsUnexpectedlyCountsItsLinesMalformedAndTheNextOnesStillArrive() {
        // the allocator for the outputs' copies fails once, in the second batch: a bug, not bad input
        ByteBufAllocator failingOnce = new FailingAllocator(n -> n == 2, size -> { // one block per batch
            throw new IllegalStateException("injected");
        });
        EmbeddedChannel ch = channel(failingOnce);
        int perRead = 400;
        for (int r = 0; r < 3; r++) {
            ch.writeInbound(read(r * perRead, perRead));
        }
        while (!batches.isEmpty()) {
            batches.pollFirst().run();
        }
        ch.runPendingTasks();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < perRead; i++) {
            expected.add(dns(i));
        }
        for (int i = 2 * perRead; i < 3 * perRead; i++) {
            expected.add(dns(i));
        }
        assertThat(output.lines).containsExactlyElementsOf(expected);
        assertThat(counters.linesMalformed.sum()).isEqualTo(2 + perRead + 1); // two bad lines, the failed batch whole
        assertThat(counters.linesDecoded.sum()).isEqualTo(2 * perRead);
        assertThat(counters.inputReadAheadBytes.get()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aSmallReadWithNothingInFlightIsDecodedOnTheEventLoop() {
        EmbeddedChannel ch = channel(UnpooledByteBufAllocator.DEFAULT);
        ch.writeInbound(read(0, 3));
        assertThat(batches).isEmpty();
        assertThat(output.lines).containsExactly(dns(0), dns(1), dns(2));
        assertThat(counters.linesReceived()).isEqualTo(4);
        ch.finishAndReleaseAll();
    }
}

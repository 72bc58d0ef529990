package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eveflow.aggregate.FlowTable;
import org.eveflow.event.EveParser;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.output.AddedFields;
import org.eveflow.output.Outputs;
import org.eveflow.counters.Counters;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A read cycle of a few records waits {@link BatchDispatcher#TRICKLE_NANOS} before the next read; a large one does not. */
class TrickleReadTest {
    private static final String FLOW = "{\"timestamp\":\"2026-12-05T05:00:00.000000+0000\",\"event_type\":\"flow\","
            + "\"src_ip\":\"10.0.0.1\",\"src_port\":40000,\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,"
            + "\"proto\":\"TCP\",\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":1,\"bytes_toserver\":60,"
            + "\"bytes_toclient\":60}}\n";

    private final Counters counters = new Counters();

    private EmbeddedChannel channel() {
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(TrickleReadTest.class), 10_000);
        Outputs outputs = new Outputs(List.of(), ByteBufAllocator.DEFAULT);
        EventRouter router = new EventRouter(new FlowTable(1000, 10, 1000, counters), outputs, AddedFields.NONE, null);
        return new EmbeddedChannel(new BatchDispatcher(new BatchParser(log, 1 << 20, new EveParser()), router, outputs,
                counters, null, new ReadAhead(1 << 20, counters)));
    }

    @Test
    void aFewRecordsPauseReadingForAMomentAndAreDecodedAtOnce() {
        EmbeddedChannel ch = channel();
        // through the pipeline, not writeInbound: that also runs the scheduled tasks whose time has come,
        // and on a busy machine the 1 ms wait may be over by then
        ch.pipeline().fireChannelRead(Unpooled.copiedBuffer(FLOW + FLOW, StandardCharsets.US_ASCII));
        ch.pipeline().fireChannelReadComplete();
        assertThat(counters.linesDecoded.sum()).isEqualTo(2);
        assertThat(counters.flowsAggregated.sum()).isEqualTo(2);
        assertThat(ch.config().isAutoRead()).isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            ch.runScheduledPendingTasks();
            return ch.config().isAutoRead();
        });
        assertThat(counters.inputReadAheadBytes.get()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aReadOfManyRecordsReadsOnAtOnce() {
        EmbeddedChannel ch = channel();
        int n = BatchDispatcher.TRICKLE_BYTES / FLOW.length() + 1;
        ch.writeInbound(Unpooled.copiedBuffer(FLOW.repeat(n), StandardCharsets.US_ASCII));
        assertThat(counters.linesDecoded.sum()).isEqualTo(n);
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }
}

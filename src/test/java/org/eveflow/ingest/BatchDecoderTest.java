package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.eveflow.aggregate.FlowTable;
import org.eveflow.counters.Counters;
import org.eveflow.event.EveParser;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.output.AddedFields;
import org.eveflow.output.Outputs;
import org.eveflow.testing.CapturingOutput;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchDecoder} alone, without a channel: a batch's lines are counted decoded or malformed,
 * the forwarded ones held (not yet offered) until applied, flows aggregated, the chunks released; a
 * bug in a stage after the parser loses the batch's lines only as counted malformed lines.
 */
class BatchDecoderTest {
    private static final String FLOW = "{\"timestamp\":\"2024-01-01T00:00:00.000000+0000\",\"event_type\":\"flow\","
            + "\"src_ip\":\"10.0.0.1\",\"src_port\":1234,\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,"
            + "\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":2,\"bytes_toserver\":3,\"bytes_toclient\":4}}\n";
    private static final String DNS = "{\"event_type\":\"dns\",\"n\":1}\n";

    private final Counters counters = new Counters();
    private final CapturingOutput output = new CapturingOutput(counters.newOutput("capture"), Set.of("dns"));
    private final Outputs outputs = new Outputs(List.of(output), UnpooledByteBufAllocator.DEFAULT);
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(BatchDecoderTest.class), 60_000);
    private final FlowTable table = new FlowTable(1000, 10, 1000, counters);

    private static ByteBuf chunk(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void aBatchIsCountedHeldForItsTurnAndAggregated() {
        BatchDecoder decoder = new BatchDecoder(new BatchParser(log, 1 << 20, new EveParser()),
                new EventRouter(table, outputs, AddedFields.NONE, null), outputs);
        ByteBuf a = chunk(FLOW + DNS);
        ByteBuf b = chunk("not json\n" + DNS);
        BatchDecoder.Decoded d = decoder.decode("c1", List.of(a, b));
        assertThat(d.tally.decoded).isEqualTo(3);
        assertThat(d.tally.malformed).isEqualTo(1);
        assertThat(d.tally.forwarded).isEqualTo(2);
        assertThat(output.lines).as("held until the batch's turn").isEmpty();
        assertThat(a.refCnt()).isZero();
        assertThat(b.refCnt()).isZero();
        assertThat(table.size()).isEqualTo(1);
        d.forwarded.offer();
        assertThat(output.lines).containsExactly(DNS, DNS);
    }

    @Test
    void aBugInAStageAfterTheParserCountsTheBatchsLinesMalformed() {
        // the outputs' copies cannot be made: a bug (an allocator that throws), not bad input
        Outputs failing = new Outputs(List.of(output), new org.eveflow.testing.FailingAllocator(n -> true, size -> {
            throw new IllegalStateException("injected");
        }));
        BatchDecoder decoder = new BatchDecoder(new BatchParser(log, 1 << 20, new EveParser()),
                new EventRouter(table, failing, AddedFields.NONE, null), failing);
        ByteBuf a = chunk(FLOW + DNS + DNS);
        BatchDecoder.Decoded d = decoder.decode("c1", List.of(a));
        assertThat(d.tally.malformed).isEqualTo(3);
        assertThat(d.tally.decoded).isZero();
        assertThat(a.refCnt()).isZero();
        d.forwarded.offer();
        assertThat(output.lines).isEmpty();
    }
}

package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eveflow.event.EveEvent;
import org.eveflow.event.EveParser;
import org.eveflow.event.MalformedEventException;
import org.eveflow.log.RateLimitedLog;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A batch's chunks are split at '\n': every line gets the verdict {@link EveParser#parse} gives it alone,
 * whatever lies around it (CRLF endings, blank-padded lines that go to Jackson's shared parser,
 * oversized lines between them).
 */
class BatchParserTest {
    private static final int MAX = 200;
    private final BatchParser parser = new BatchParser(
            new RateLimitedLog(LoggerFactory.getLogger(BatchParserTest.class), 60_000), MAX, new EveParser());

    private static ByteBuf chunk(String s) {
        return Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void linesAroundOversizedOnesAndCrlfGetTheirOwnVerdicts() {
        String big = "{\"event_type\":\"alert\",\"pad\":\"" + "x".repeat(MAX) + "\"}";
        List<String> lines = List.of(
                " {\"event_type\":\"alert\",\"n\":1} ", // blanks: Jackson's shared parser reads it
                big, // oversized: counted, never parsed
                "\t{\"event_type\":\"alert\",\"n\":2}", // Jackson again, just after the oversized line
                "{\"event_type\":\"dns\"}\r", // CRLF
                "{\"event_type\":\"alert\"", // malformed: ends inside the object
                "}",
                "");
        List<ByteBuf> chunks = List.of(chunk(String.join("\n", lines.subList(0, 3)) + "\n"),
                chunk(String.join("\n", lines.subList(3, lines.size())) + "\n"));
        BatchTally tally = new BatchTally();
        BatchParser.Lines out = parser.parse("test", chunks, tally);
        assertThat(tally.oversized).isEqualTo(1);
        assertThat(out.count).isEqualTo(6);
        List<String> types = new ArrayList<>();
        for (int i = 0; i < out.count; i++) {
            types.add(out.events[i] == null ? null : out.events[i].eventType());
        }
        assertThat(types).containsExactly("alert", "alert", "dns", null, null, null);
        assertThat(tally.malformed).isEqualTo(3);
        EveParser alone = new EveParser();
        int i = 0;
        for (String line : lines) {
            if (line.length() > MAX) {
                continue;
            }
            byte[] b = line.replace("\r", "").getBytes(StandardCharsets.UTF_8);
            String want;
            try {
                EveEvent e = alone.parse(b, 0, b.length);
                want = e.eventType();
            } catch (MalformedEventException e) {
                want = null;
            }
            assertThat(types.get(i++)).as(line).isEqualTo(want);
        }
        chunks.forEach(ByteBuf::release);
    }

    /**
     * lines_judged: the lines Jackson read because the scanner was not sure of them (here blanks around
     * the object, and a line that is not an object); a record as Suricata writes it is not among them.
     */
    @Test
    void countsTheLinesJacksonReads() {
        String flow = "{\"timestamp\":\"2026-12-06T10:00:00.000000+0000\",\"flow_id\":1,\"event_type\":\"flow\","
                + "\"src_ip\":\"10.0.0.1\",\"src_port\":1,\"dest_ip\":\"10.0.0.2\",\"dest_port\":2,\"proto\":\"TCP\","
                + "\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":1,\"bytes_toserver\":1,\"bytes_toclient\":1}}";
        List<ByteBuf> chunks = List.of(chunk(flow + "\n {\"event_type\":\"alert\"}\n" + flow + "\nnot json\n"));
        BatchTally tally = new BatchTally();
        BatchParser.Lines out = new BatchParser(new RateLimitedLog(LoggerFactory.getLogger(BatchParserTest.class), 60_000),
                1_000, new EveParser()).parse("test", chunks, tally);
        assertThat(out.count).isEqualTo(4);
        assertThat(tally.malformed).isEqualTo(1);
        assertThat(tally.judged).isEqualTo(2);
        chunks.forEach(ByteBuf::release);
    }

    /**
     * Chunks are copied whole, so an oversized line stays in the buffer between the lines around it:
     * Jackson's shared parser must not read on from the line before through it into the next one.
     */
    @Test
    void theSharedParserDoesNotReadThroughALineLeftOut() {
        String open = "{\"event_type\":\"dns\",\"p\":" + " ".repeat(MAX); // oversized, and no object alone
        List<ByteBuf> chunks = List.of(chunk(" {\"event_type\":\"alert\"}\n" + open + "\n{}}\n"));
        BatchTally tally = new BatchTally();
        BatchParser.Lines out = parser.parse("test", chunks, tally);
        assertThat(tally.oversized).isEqualTo(1);
        assertThat(out.count).isEqualTo(2);
        assertThat(out.events[0].eventType()).isEqualTo("alert");
        assertThat(out.events[1]).as("{}} alone is malformed, though the oversized line and it make an event").isNull();
        assertThat(tally.malformed).isEqualTo(1);
        chunks.forEach(ByteBuf::release);
    }

    /** The scanner's lines and Jackson's interleave; a line the scanner read keeps its event. */
    @Test
    void scannedAndJacksonsLinesInterleaveAcrossBatches() {
        String flow = org.eveflow.testing.FlowGen.flowLine(new org.eveflow.testing.FlowGen.Key("10.0.0.1", "10.0.0.2", 443),
                40000, 3, 2, 300, 200, "2026-11-28T10:00:00.000000+0000");
        BatchParser wide = new BatchParser(new RateLimitedLog(LoggerFactory.getLogger(BatchParserTest.class), 60_000),
                4096, new EveParser());
        for (int round = 0; round < 2; round++) { // the second batch reuses the first one's scratch
            StringBuilder b = new StringBuilder();
            List<String> want = new ArrayList<>();
            for (int i = 0; i < 700; i++) { // more than the scratch's first 512 slots
                if (i % 3 == round) {
                    b.append(" {\"event_type\":\"dns\"}\n"); // Jackson
                    want.add("dns");
                } else if (i % 7 == 0) {
                    b.append("{\"event_type\":\n"); // malformed
                    want.add(null);
                } else {
                    b.append(flow).append('\n'); // the scanner
                    want.add("flow");
                }
            }
            List<ByteBuf> chunks = List.of(chunk(b.toString()));
            BatchTally tally = new BatchTally();
            BatchParser.Lines out = wide.parse("test", chunks, tally);
            List<String> types = new ArrayList<>();
            for (int i = 0; i < out.count; i++) {
                types.add(out.events[i] == null ? null : out.events[i].eventType());
            }
            assertThat(tally.oversized).isZero();
            assertThat(types).isEqualTo(want);
            assertThat(tally.malformed).isEqualTo(want.stream().filter(t -> t == null).count());
            chunks.forEach(ByteBuf::release);
        }
    }
}

package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eveflow.counters.Counters;
import org.eveflow.testing.CapturingOutput;
import org.eveflow.testing.FailingAllocator;
import org.junit.jupiter.api.Test;

/**
 * How a batch's forwarded lines become blocks: each output gets exactly its lines, byte for byte and
 * in order; a block holds a run of lines for the same outputs, at most 512 lines and 64 KiB (a
 * longer line alone); a block without direct memory is counted dropped, line by line, on each of its
 * outputs.
 */
class RawLineBlocksTest {
    private final Counters counters = new Counters();
    private final CapturingOutput alerts = new CapturingOutput(counters.newOutput("alerts"), Set.of("alert"));
    private final CapturingOutput all = new CapturingOutput(counters.newOutput("all"), Set.of("alert", "dns"));

    /** The batch's bytes, as the decode thread holds them: lines one after another, each followed by '\n'. */
    private static final class Batch {
        final StringBuilder text = new StringBuilder();
        final List<int[]> lines = new ArrayList<>();
        final List<String> types = new ArrayList<>();

        Batch line(String type, String body) {
            String line = "{\"event_type\":\"" + type + "\"" + body + "}";
            lines.add(new int[] {text.length(), line.length()});
            types.add(type);
            text.append(line).append('\n');
            return this;
        }

        RawLineBlocks addTo(Outputs outputs, byte[] insert) {
            byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
            RawLineBlocks blocks = outputs.newBlocks();
            for (int i = 0; i < lines.size(); i++) {
                blocks.add(outputs.forwarding(types.get(i)), bytes, lines.get(i)[0], lines.get(i)[1], insert);
            }
            blocks.seal();
            return blocks;
        }

        String line(int i) {
            return text.substring(lines.get(i)[0], lines.get(i)[0] + lines.get(i)[1]) + "\n";
        }
    }

    @Test
    void eachOutputGetsItsLinesInOrderInBlocksOfRunsForTheSameOutputs() {
        Outputs outputs = new Outputs(List.of(alerts, all), UnpooledByteBufAllocator.DEFAULT);
        Batch b = new Batch().line("alert", ",\"n\":0").line("alert", ",\"n\":1").line("dns", ",\"n\":2")
                .line("dns", ",\"n\":3").line("flow", ",\"n\":4").line("alert", ",\"n\":5");
        RawLineBlocks blocks = b.addTo(outputs, new byte[0]);
        assertThat(blocks.blockCount()).as("alert,alert | dns,dns | alert (flow goes nowhere)").isEqualTo(3);
        blocks.offer();

        assertThat(alerts.lines).containsExactly(b.line(0), b.line(1), b.line(5));
        assertThat(alerts.blocks).containsExactly(2, 1);
        assertThat(all.lines).containsExactly(b.line(0), b.line(1), b.line(2), b.line(3), b.line(5));
        assertThat(all.blocks).containsExactly(2, 2, 1);
        assertThat(blocks.blockCount()).isZero();
    }

    @Test
    void aBlockHoldsAtMost512LinesAnd64KiBAndALongerLineIsABlockOfItsOwn() {
        Outputs outputs = new Outputs(List.of(alerts), UnpooledByteBufAllocator.DEFAULT);
        Batch b = new Batch();
        for (int i = 0; i < 1024; i++) { // short lines: 512 + 512
            b.line("alert", ",\"n\":" + i);
        }
        String pad = ",\"p\":\"" + "x".repeat(1000) + "\"";
        for (int i = 0; i < 70; i++) { // 70 lines of 1,030 bytes with '\n': 63 fit in 64 KiB, 7 more
            b.line("alert", pad);
        }
        b.line("alert", ",\"p\":\"" + "y".repeat(70_000) + "\"").line("alert", ",\"n\":-1");
        b.addTo(outputs, new byte[0]).offer();

        assertThat(alerts.blocks).containsExactly(512, 512, 63, 7, 1, 1);
        assertThat(alerts.lines).hasSize(1024 + 70 + 2);
        for (int i = 0; i < b.lines.size(); i++) {
            assertThat(alerts.lines.get(i)).isEqualTo(b.line(i));
        }
        assertThat(counters.output("alerts").written.sum()).isEqualTo(1096);
    }

    @Test
    void addedFieldsGoBeforeTheClosingBraceAndALineWithoutOneIsCopiedAsItIs() {
        Outputs outputs = new Outputs(List.of(alerts), UnpooledByteBufAllocator.DEFAULT);
        byte[] bytes = "{\"event_type\":\"alert\"}  \nnot json\n".getBytes(StandardCharsets.US_ASCII);
        byte[] insert = ",\"host\":\"h\"".getBytes(StandardCharsets.US_ASCII);
        RawLineBlocks blocks = outputs.newBlocks();
        blocks.add(outputs.forwarding("alert"), bytes, 0, 24, insert);
        blocks.add(outputs.forwarding("alert"), bytes, 25, 8, insert);
        blocks.offer();
        assertThat(alerts.lines).containsExactly("{\"event_type\":\"alert\",\"host\":\"h\"}  \n", "not json\n");
        assertThat(alerts.blocks).containsExactly(2);
    }

    @Test
    void aBlockWithoutDirectMemoryIsCountedDroppedLineByLineOnEachOfItsOutputs() {
        FailingAllocator alloc = FailingAllocator.directMemoryFullAfter(1);
        Outputs outputs = new Outputs(List.of(alerts, all), alloc);
        Batch b = new Batch().line("alert", "").line("alert", "").line("dns", "").line("dns", "").line("dns", "");
        b.addTo(outputs, new byte[0]).offer();

        assertThat(alloc.attempts()).isEqualTo(2);
        assertThat(alerts.lines).containsExactly(b.line(0), b.line(1));
        assertThat(all.lines).containsExactly(b.line(0), b.line(1));
        assertThat(counters.output("alerts").offered.sum()).isEqualTo(2);
        assertThat(counters.output("alerts").droppedFull.sum()).isZero();
        assertThat(counters.output("all").offered.sum()).isEqualTo(5);
        assertThat(counters.output("all").droppedFull.sum()).isEqualTo(3);
    }

    @Test
    void releasedBlocksFreeTheirMemoryAndReachNoOutput() {
        Outputs outputs = new Outputs(List.of(alerts), UnpooledByteBufAllocator.DEFAULT);
        RawLineBlocks blocks = new Batch().line("alert", "").line("alert", "").addTo(outputs, new byte[0]);
        blocks.release();
        blocks.offer();
        assertThat(alerts.lines).isEmpty();
        assertThat(counters.output("alerts").offered.sum()).isZero();
    }
}

package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.counters.Counters;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link EveLineFramer} alone on an {@link EmbeddedChannel}: every chunk it passes on is a run of whole
 * lines, their concatenation is the input less the lines it discards, wherever the reads split the
 * stream (every split point of a stream, and every pair of them); lines over the limit are dropped and
 * counted once, a '\r' before the '\n' does not count towards the limit, a fragment at the end of the
 * input is counted malformed, and no buffer is left unreleased.
 */
class EveLineFramerTest {
    private static final int MAX = 16;

    private final Counters counters = new Counters();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new EveLineFramer(MAX,
                counters, new RateLimitedLog(LoggerFactory.getLogger(EveLineFramerTest.class), 10_000)));
    }

    /** Writes {@code input} in reads cut at {@code cuts}, then ends the input; returns the chunks passed on. */
    private List<String> frame(String input, int... cuts) {
        EmbeddedChannel ch = channel();
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        int from = 0;
        for (int cut : cuts) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, cut - from));
            from = cut;
        }
        ch.writeInbound(Unpooled.wrappedBuffer(bytes, from, bytes.length - from));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        List<String> chunks = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            chunks.add(b.toString(StandardCharsets.US_ASCII));
            assertThat(b.release()).as("the framer holds no reference to a chunk it passed on").isTrue();
        }
        assertThat(ch.finish()).isFalse();
        return chunks;
    }

    private static String joined(List<String> chunks) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String c : chunks) {
            assertThat(c).as("a chunk is whole lines").endsWith("\n");
            all.writeBytes(c.getBytes(StandardCharsets.US_ASCII));
        }
        return all.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void everySplitPointAndEveryPairOfThemGivesTheSameLines() {
        String input = "{\"a\":1}\n{\"bb\":22}\r\n\n{\"c\":333}\n";
        for (int i = 0; i <= input.length(); i++) {
            assertThat(joined(frame(input, i))).as("cut at %d", i).isEqualTo(input);
            for (int j = i; j <= input.length(); j++) {
                assertThat(joined(frame(input, i, j))).as("cuts at %d, %d", i, j).isEqualTo(input);
            }
        }
        assertThat(counters.linesOversized.sum()).isZero();
        assertThat(counters.linesMalformed.sum()).isZero();
    }

    @Test
    void theWholeLinesOfAReadGoOnAsOneChunk() {
        assertThat(frame("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n")).containsExactly("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
        // a line cut by a read goes on by itself once its newline arrives, the rest of that read as one chunk
        assertThat(frame("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", 10)).containsExactly("{\"a\":1}\n", "{\"b\":2}\n",
                "{\"c\":3}\n");
    }

    @Test
    void aLineGrowingPastTheLimitAcrossReadsIsDroppedAndCountedOnce() {
        String longLine = "x".repeat(MAX + 5) + "\n";
        String input = "{\"a\":1}\n" + longLine + "{\"b\":2}\n";
        for (int cut = 9; cut < 8 + longLine.length(); cut++) { // every cut inside the long line
            long before = counters.linesOversized.sum();
            List<String> chunks = frame(input, cut, cut + 3 < input.length() ? cut + 3 : cut);
            assertThat(counters.linesOversized.sum() - before).as("cut at %d", cut).isBetween(0L, 1L);
            String out = joined(chunks);
            // over the limit it is dropped here, or passed on whole for BatchParser to count: never cut
            assertThat(out).isIn("{\"a\":1}\n{\"b\":2}\n", input);
            assertThat(counters.linesOversized.sum() - before == 1).isEqualTo(out.equals("{\"a\":1}\n{\"b\":2}\n"));
        }
    }

    @Test
    void aCarriageReturnBeforeTheNewlineDoesNotCountTowardsTheLimit() {
        String atLimit = "y".repeat(MAX) + "\r\n";
        String input = atLimit + "{\"b\":2}\n";
        for (int cut = 1; cut < atLimit.length(); cut++) {
            assertThat(joined(frame(input, cut))).as("cut at %d", cut).isEqualTo(input);
        }
        assertThat(counters.linesOversized.sum()).isZero();
    }

    @Test
    void aFragmentAtTheEndOfTheInputIsMalformed() {
        assertThat(joined(frame("{\"a\":1}\n{\"b\"", 5))).isEqualTo("{\"a\":1}\n");
        assertThat(counters.linesMalformed.sum()).isEqualTo(1);
        assertThat(joined(frame("{\"a\":1}\n"))).isEqualTo("{\"a\":1}\n");
        assertThat(counters.linesMalformed.sum()).isEqualTo(1);
    }

    /** Idle eviction's clock: a complete non-blank line sets it, blank lines and bytes without '\n' do not. */
    @org.junit.jupiter.api.Test
    void onlyACompleteNonBlankLineCountsAsActivity() {
        EmbeddedChannel ch = channel();
        for (String read : new String[] {"\n", " ", " \r\n", "\t\n", "{\"a\":"}) {
            ch.writeInbound(Unpooled.copiedBuffer(read, StandardCharsets.US_ASCII));
            assertThat(ch.attr(Connections.LAST_LINE).get()).as("after %s", read).isNull();
        }
        ch.writeInbound(Unpooled.copiedBuffer("1}\n", StandardCharsets.US_ASCII)); // completes the held line
        Long completed = ch.attr(Connections.LAST_LINE).get();
        assertThat(completed).isNotNull();
        ch.attr(Connections.LAST_LINE).set(null);
        ch.writeInbound(Unpooled.copiedBuffer("\n {}\n", StandardCharsets.US_ASCII));
        assertThat(ch.attr(Connections.LAST_LINE).get()).isNotNull();
        for (Object o; (o = ch.readInbound()) != null; ) {
            ((ByteBuf) o).release();
        }
        ch.finishAndReleaseAll();
    }
}

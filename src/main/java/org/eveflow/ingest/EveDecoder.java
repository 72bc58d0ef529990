package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eveflow.event.EveEvent;
import org.eveflow.event.EveParser;
import org.eveflow.event.MalformedEventException;
import org.eveflow.stats.Counters;
import org.eveflow.stats.RateLimitedLog;

/**
 * Turns each line (a frame from {@link EveLineFramer}) into a {@link DecodedLine}, or counts it as
 * malformed (rate-limited warning, line released) and goes on with the next line. Counts oversized
 * lines reported by the framer. Stateless apart from a per-thread scratch array; {@code @Sharable}.
 */
@ChannelHandler.Sharable
final class EveDecoder extends ChannelInboundHandlerAdapter {
    private static final int KEEP_SCRATCH = 1 << 20;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[64 * 1024];
        }
    };

    private final EveParser parser;
    private final Counters counters;
    private final RateLimitedLog warnings;
    private final int maxLineLength;

    EveDecoder(Counters counters, RateLimitedLog warnings, int maxLineLength, EveParser parser) {
        this.parser = parser;
        this.counters = counters;
        this.warnings = warnings;
        this.maxLineLength = maxLineLength;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf line = (ByteBuf) msg;
        EveEvent event = parseOrWarn(ctx.channel().id().asShortText(), line);
        count(event);
        if (event == null) {
            line.release();
            return;
        }
        ctx.fireChannelRead(new DecodedLine(event, line));
    }

    /** The event, or null for a malformed line (warned about, rate-limited, not yet counted). Thread-safe. */
    EveEvent parseOrWarn(String connection, ByteBuf line) {
        try {
            return parse(line);
        } catch (MalformedEventException e) {
            warnMalformed(connection, e, line);
            return null;
        }
    }

    /**
     * Decodes a batch of lines with one parser ({@link EveParser#parseLines}): copies them, one after
     * another and separated by '\n', into this thread's scratch array. {@code out[i]} is line i's
     * event, or null for a malformed line (warned about, rate-limited, not yet counted). Does not
     * release the lines. Thread-safe.
     */
    void parseAllOrWarn(String connection, List<ByteBuf> lines, EveEvent[] out) {
        int n = lines.size();
        long total = n;
        for (ByteBuf l : lines) {
            total += l.readableBytes();
        }
        if (total > Integer.MAX_VALUE - 16) { // cannot happen with the framer's line limit and batch size
            for (int i = 0; i < n; i++) {
                out[i] = parseOrWarn(connection, lines.get(i));
            }
            return;
        }
        byte[] buf = scratch((int) total);
        int[] starts = new int[n];
        int[] ends = new int[n];
        int at = 0;
        for (int i = 0; i < n; i++) {
            ByteBuf l = lines.get(i);
            int len = l.readableBytes();
            l.getBytes(l.readerIndex(), buf, at, len);
            starts[i] = at;
            ends[i] = at + len;
            buf[at + len] = '\n';
            at += len + 1;
        }
        MalformedEventException[] errors = new MalformedEventException[n];
        parser.parseLines(buf, starts, ends, n, out, errors);
        for (int i = 0; i < n; i++) {
            if (errors[i] != null) {
                warnMalformed(connection, errors[i], lines.get(i));
            }
        }
    }

    private static byte[] scratch(int len) {
        byte[] scratch = SCRATCH.get();
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
            if (scratch.length <= KEEP_SCRATCH) {
                SCRATCH.set(scratch);
            }
        }
        return scratch;
    }

    private void warnMalformed(String connection, MalformedEventException e, ByteBuf line) {
        warnings.warn("malformed line on connection {} ({}): {}: {}", connection, e.getMessage(),
                line.readableBytes() + " bytes", preview(line));
    }

    /** Counts one line's outcome: decoded (by event_type) or malformed (null). */
    void count(EveEvent event) {
        if (event == null) {
            counters.linesMalformed.increment();
        } else {
            counters.linesDecoded.increment();
            counters.events.increment(event.eventType());
        }
    }

    private EveEvent parse(ByteBuf line) throws MalformedEventException {
        int len = line.readableBytes();
        if (line.hasArray()) {
            return parser.parse(line.array(), line.arrayOffset() + line.readerIndex(), len);
        }
        byte[] scratch = scratch(len);
        line.getBytes(line.readerIndex(), scratch, 0, len);
        return parser.parse(scratch, 0, len);
    }

    private static String preview(ByteBuf line) {
        int n = Math.min(line.readableBytes(), 120);
        String s = line.toString(line.readerIndex(), n, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return n < line.readableBytes() ? b + "…" : b.toString();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!countedOversized(ctx, cause)) {
            ctx.fireExceptionCaught(cause);
        }
    }

    /** Counts (and warns about) a too-long line reported by the framer; false for any other error. */
    boolean countedOversized(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof TooLongFrameException)) {
            return false;
        }
        counters.linesOversized.increment();
        warnings.warn("oversized line on connection {}: longer than {} bytes, discarded up to its newline",
                ctx.channel().id().asShortText(), maxLineLength);
        return true;
    }
}

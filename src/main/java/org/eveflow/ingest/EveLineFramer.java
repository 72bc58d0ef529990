package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.counters.Counters;

/**
 * Cuts the byte stream into chunks of whole lines for {@link BatchParser}, which splits a chunk into
 * its lines on a decode thread. The whole lines of a read go on as one retained slice of the read
 * buffer (no copy, no object per line). Only the line that a read ends inside is copied: its start
 * waits in a small buffer of its own until a later read brings its newline, and then goes on as a
 * chunk by itself. A line that grows beyond the maximum without a newline is discarded up to its
 * newline in bounded memory and counted oversized at once; longer lines inside a read are left to
 * {@link BatchParser}, which counts them the same way (so the pending bytes never exceed the maximum
 * plus one read). A fragment without newline at the end of the connection is counted malformed.
 * One instance per connection, confined to its event loop.
 */
final class EveLineFramer extends ChannelInboundHandlerAdapter {
    private final int maxLineLength;
    private final Counters counters;
    private final RateLimitedLog warnings;
    private boolean discarding;
    /** The start of the line the last read ended inside (no '\n' in it), or null. */
    private ByteBuf pending;

    EveLineFramer(int maxLineLength, Counters counters, RateLimitedLog warnings) {
        this.maxLineLength = maxLineLength;
        this.counters = counters;
        this.warnings = warnings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (discarding && !skipToNextLine(in) || !in.isReadable()) {
                return;
            }
            if (pending != null && !completePending(ctx, in)) {
                return;
            }
            int last = lastNewline(in);
            if (last >= 0) {
                lineSeen(ctx, in, last);
                ctx.fireChannelRead(in.readRetainedSlice(last + 1 - in.readerIndex()));
            }
            if (in.isReadable()) {
                hold(ctx, in);
            }
        } finally {
            in.release();
        }
    }

    /** Skips the rest of an oversized line; false if the read ended before its newline. */
    private boolean skipToNextLine(ByteBuf in) {
        int nl = firstNewline(in);
        if (nl < 0) {
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(nl + 1);
        discarding = false;
        return true;
    }

    /**
     * Appends the read's bytes up to its first '\n' to the pending line and passes the line on;
     * false if the read has no '\n' (all of it is pending then, or discarded if that is too long).
     */
    private boolean completePending(ChannelHandlerContext ctx, ByteBuf in) {
        int nl = firstNewline(in);
        if (nl < 0) {
            if (tooLong(pending.readableBytes() + in.readableBytes(), in)) {
                discard(ctx, in);
            } else {
                pending.writeBytes(in);
            }
            return false;
        }
        pending.writeBytes(in, nl + 1 - in.readerIndex());
        ByteBuf line = pending;
        pending = null;
        lineSeen(ctx, line, line.writerIndex() - 1);
        ctx.fireChannelRead(line); // a line over the limit is counted by BatchParser
        return true;
    }

    /** Keeps the read's unfinished last line, or discards it if it is already too long. */
    private void hold(ChannelHandlerContext ctx, ByteBuf in) {
        int n = in.readableBytes();
        if (tooLong(n, in)) {
            discard(ctx, in);
            return;
        }
        pending = ctx.alloc().buffer(Math.max(n, 1024));
        pending.writeBytes(in);
    }

    /** Whether a line of {@code length} bytes so far, whose last byte is the last of {@code in}, is over the limit. */
    private boolean tooLong(long length, ByteBuf in) {
        // a trailing '\r' may be the start of the line's "\r\n", which does not count towards its length
        long lineLength = in.getByte(in.writerIndex() - 1) == '\r' ? length - 1 : length;
        return lineLength > maxLineLength;
    }

    private void discard(ChannelHandlerContext ctx, ByteBuf in) {
        in.skipBytes(in.readableBytes());
        releasePending();
        discarding = true;
        counters.linesOversized.increment();
        warnings.warn(BatchParser.OVERSIZED, ctx.channel().id().asShortText(), maxLineLength);
    }

    /**
     * Notes the time for idle eviction ({@link Connections#LAST_LINE}) when the whole lines in
     * {@code buf} up to {@code end} hold a byte that is not blank: a client that trickles newlines or
     * spaces stays idle. Suricata's lines start with '{', so this looks at one byte.
     */
    private static void lineSeen(ChannelHandlerContext ctx, ByteBuf buf, int end) {
        for (int i = buf.readerIndex(); i < end; i++) {
            byte b = buf.getByte(i);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                ctx.channel().attr(Connections.LAST_LINE).set(System.nanoTime());
                return;
            }
        }
    }

    /** The index of the first '\n' in the readable bytes, or -1. */
    private static int firstNewline(ByteBuf in) {
        return in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
    }

    /** The index of the last '\n' in the readable bytes, or -1. */
    private static int lastNewline(ByteBuf in) {
        for (int i = in.writerIndex() - 1; i >= in.readerIndex(); i--) {
            if (in.getByte(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            endOfInput(ctx);
        } else if (evt instanceof Handover h) {
            handover(ctx, h);
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A leaving connection's unfinished line goes into the handover (not counted: the next instance
     * reads its rest); an arriving one starts with the previous instance's.
     */
    private void handover(ChannelHandlerContext ctx, Handover h) {
        if (h.leaving()) {
            byte[] held = new byte[pending == null ? 0 : pending.readableBytes()];
            if (pending != null) {
                pending.getBytes(pending.readerIndex(), held);
            }
            h.held(held, discarding);
            releasePending();
            discarding = false;
            return;
        }
        discarding = h.discarding();
        byte[] tail = h.tail();
        if (tail.length > 0) {
            pending = ctx.alloc().buffer(Math.max(tail.length, 1024)).writeBytes(tail); // as hold() keeps one
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endOfInput(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releasePending();
    }

    private void endOfInput(ChannelHandlerContext ctx) {
        if (pending != null) {
            counters.linesMalformed.increment();
            warnings.warn("malformed line on connection {}: it ended inside a line ({} bytes without newline)",
                    ctx.channel().id().asShortText(), pending.readableBytes());
            releasePending();
        }
        discarding = false;
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}

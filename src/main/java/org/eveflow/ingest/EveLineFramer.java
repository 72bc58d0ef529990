package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.eveflow.stats.Counters;
import org.eveflow.stats.RateLimitedLog;

/**
 * Cuts the byte stream after its last '\n' and passes on everything before it as one chunk of whole
 * lines (a retained slice: no copy, no object per line); {@link EveDecoder} splits a chunk into its
 * lines on a decode thread. The incomplete line after the last '\n' waits for the next read. A line
 * that grows beyond the maximum without a newline is discarded up to its newline in bounded memory
 * and counted oversized at once; longer lines inside a chunk are left to {@link EveDecoder}, which
 * counts them the same way (so the pending bytes never exceed the maximum plus one read). A fragment
 * without newline at the end of the connection is counted malformed. One instance per connection,
 * confined to its event loop.
 */
final class EveLineFramer extends ByteToMessageDecoder {
    private final int maxLineLength;
    private final Counters counters;
    private final RateLimitedLog warnings;
    private boolean discarding;
    /** How many bytes from the reader index on are known to hold no '\n' (searched before). */
    private int searched;

    EveLineFramer(int maxLineLength, Counters counters, RateLimitedLog warnings) {
        this.maxLineLength = maxLineLength;
        this.counters = counters;
        this.warnings = warnings;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            int nl = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (nl < 0) {
                in.skipBytes(in.readableBytes());
                return;
            }
            in.readerIndex(nl + 1);
            discarding = false;
        }
        int last = lastNewline(in, in.readerIndex() + searched);
        if (last >= 0) {
            out.add(in.readRetainedSlice(last + 1 - in.readerIndex()));
        }
        int pending = in.readableBytes();
        searched = pending;
        // a trailing '\r' may be the start of the line's "\r\n", which does not count towards its length
        int lineLength = pending > 0 && in.getByte(in.writerIndex() - 1) == '\r' ? pending - 1 : pending;
        if (lineLength > maxLineLength) {
            in.skipBytes(pending);
            searched = 0;
            discarding = true;
            counters.linesOversized.increment();
            warnings.warn(EveDecoder.OVERSIZED, ctx.channel().id().asShortText(), maxLineLength);
        }
    }

    /** The index of the last '\n' at or after {@code from} in the readable bytes, or -1. */
    private static int lastNewline(ByteBuf in, int from) {
        for (int i = in.writerIndex() - 1; i >= from; i--) {
            if (in.getByte(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decode(ctx, in, out);
        if (in.isReadable()) {
            counters.linesMalformed.increment();
            warnings.warn("malformed line on connection {}: it ended inside a line ({} bytes without newline)",
                    ctx.channel().id().asShortText(), in.readableBytes());
            in.skipBytes(in.readableBytes());
            searched = 0;
        }
    }
}

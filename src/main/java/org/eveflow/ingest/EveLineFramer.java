package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.util.List;
import org.eveflow.stats.Counters;
import org.eveflow.stats.RateLimitedLog;

/**
 * Splits the byte stream at '\n' (a preceding '\r' is stripped). A line longer than the maximum is
 * discarded up to its newline in bounded memory and reported once, at once, as a
 * TooLongFrameException (counted by {@link EveDecoder}); a fragment without newline at the end of
 * the connection is counted malformed here. One instance per connection.
 */
final class EveLineFramer extends LineBasedFrameDecoder {
    private final Counters counters;
    private final RateLimitedLog warnings;

    EveLineFramer(int maxLineLength, Counters counters, RateLimitedLog warnings) {
        super(maxLineLength, true, true);
        this.counters = counters;
        this.warnings = warnings;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable()) {
            counters.linesMalformed.increment();
            warnings.warn("malformed line on connection {}: it ended inside a line ({} bytes without newline)",
                    ctx.channel().id().asShortText(), in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }
}

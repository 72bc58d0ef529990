package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.eveflow.counters.Counters;

/**
 * Counts the bytes read from Suricata before framing. Stateless, {@code @Sharable}.
 */
@ChannelHandler.Sharable
final class ByteCounter extends ChannelInboundHandlerAdapter {
    private final Counters counters;

    ByteCounter(Counters counters) {
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
            counters.bytesReceived.add(((ByteBuf) msg).readableBytes());
        }
        ctx.fireChannelRead(msg);
    }
}

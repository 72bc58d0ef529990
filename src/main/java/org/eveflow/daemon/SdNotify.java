package org.eveflow.daemon;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's notify protocol (sd_notify): datagrams such as "READY=1" to the socket named by
 * {@code NOTIFY_SOCKET} ('@' = abstract namespace), sent with Netty's epoll Unix datagram channel
 * (JDK 17 has no Unix datagram sockets). Without {@code NOTIFY_SOCKET} (not run by systemd with
 * Type=notify) every call does nothing. A failed send is logged at debug and otherwise ignored: the
 * daemon must not stop because its supervisor is gone. Thread-safe.
 */
final class SdNotify implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    private final Channel channel;

    private SdNotify(Channel channel) {
        this.channel = channel;
    }

    /** The notifier for this process's environment; a no-op one without NOTIFY_SOCKET. */
    static SdNotify fromEnvironment(Map<String, String> env, EventLoopGroup epollGroup) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return new SdNotify(null);
        }
        if (!Epoll.isAvailable() || epollGroup == null) {
            LOG.warn("NOTIFY_SOCKET is set but the epoll transport is not available: systemd will not hear "
                    + "READY=1 (use Type=simple)");
            return new SdNotify(null);
        }
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        try {
            // connected (an unbound, unconnected channel is not active and cannot send)
            Channel ch = new Bootstrap().group(epollGroup).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(new DomainSocketAddress(path)).sync().channel();
            return new SdNotify(ch);
        } catch (Exception e) {
            LOG.warn("cannot open the systemd notify socket {}: {}", socket, e.getMessage());
            return new SdNotify(null);
        }
    }

    boolean enabled() {
        return channel != null;
    }

    /** Sends one notification, e.g. "READY=1" or "STATUS=...". */
    void send(String state) {
        if (channel == null) {
            return;
        }
        channel.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        LOG.debug("sd_notify {} failed: {}", state, String.valueOf(f.cause()));
                    }
                });
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2_000);
        }
    }
}

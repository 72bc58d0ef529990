package org.eveflow.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.eveflow.config.Config;

/**
 * The Unix-domain-socket flavour of Netty in use: native epoll when it loads (it can half-close a
 * connection's input and still read what was queued), else the JDK's NIO. Immutable, thread-safe.
 */
public enum UnixTransport {
    EPOLL, NIO;

    /** Picks the transport for a configured preference; EPOLL when asked for and unavailable is an error. */
    public static UnixTransport choose(Config.Transport wanted) {
        switch (wanted) {
            case NIO:
                return NIO;
            case EPOLL:
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("input.transport: epoll requested but unavailable: "
                            + Epoll.unavailabilityCause());
                }
                return EPOLL;
            default:
                return Epoll.isAvailable() ? EPOLL : NIO;
        }
    }

    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory f = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), f);
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }

    public Class<? extends Channel> clientChannel() {
        return this == EPOLL ? EpollDomainSocketChannel.class : NioDomainSocketChannel.class;
    }

    public SocketAddress address(Path path) {
        return this == EPOLL ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path);
    }

    /** Whether shutting down a connection's input still lets us read what the peer already sent. */
    public boolean readsQueuedDataAfterInputShutdown() {
        return this == EPOLL;
    }
}

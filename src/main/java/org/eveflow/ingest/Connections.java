package org.eveflow.ingest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eveflow.counters.Counters;
import org.eveflow.log.Fatal;
import org.eveflow.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open input connections: admits up to max-connections from
 * peers whose uid is allowed (when an allow-list is set; others are closed and counted). When all
 * slots are taken, the connection that has sent no complete line for longest (a blank one does not
 * count: a trickle of bytes cannot keep a slot), if that is at least the idle timeout, is closed to make room (counted, logged), so idle or hostile clients cannot lock Suricata
 * out; otherwise the new connection is closed and counted. Logs each
 * peer's credentials (pid, uid, gids; epoll only) at debug,
 * closes a connection once its input has ended (after the decoder has seen the last bytes), and
 * logs I/O errors. Sits at the tail of every connection's pipeline. Thread-safe, {@code @Sharable}.
 */
@ChannelHandler.Sharable
final class Connections extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

    private final ChannelGroup open = new DefaultChannelGroup("eve-connections", GlobalEventExecutor.INSTANCE);
    /** System.nanoTime() of a connection's last complete non-blank line (set at admission and by {@link EveLineFramer}). */
    static final AttributeKey<Long> LAST_LINE = AttributeKey.valueOf("eveflow.lastLine");

    private final int max;
    private final long idleNanos;
    private final Set<Integer> allowedUids;
    private final Counters counters;
    private final RateLimitedLog warnings;
    private final CountDownLatch sentinelAccepted = new CountDownLatch(1);
    private volatile boolean sentinelExpected;
    private volatile String sentinelPath;
    /** Where admitted connections are kept across a restart or a crash (systemd's fd store), or null. */
    private volatile Handover.Keeper keeper;
    /** The name a connection has in the keeper's store (set at admission, or by EveServer.adopt before it). */
    static final AttributeKey<String> STORED_AS = AttributeKey.valueOf("eveflow.storedAs");

    Connections(int max, Set<Integer> allowedUids, long idleNanos, Counters counters,
                RateLimitedLog warnings) {
        this.max = max;
        this.idleNanos = idleNanos;
        this.allowedUids = allowedUids;
        this.counters = counters;
        this.warnings = warnings;
    }

    /**
     * From now on a connection from this very process bound to {@code path} (any, if null) is the
     * shutdown sentinel (see EveServer.stop).
     */
    void expectSentinel(String path) {
        sentinelPath = path;
        sentinelExpected = true;
    }

    private boolean isSentinel(Channel ch, PeerCredentials peer) {
        if (!sentinelExpected || peer == null || peer.pid() != ProcessHandle.current().pid()) {
            return false;
        }
        String path = sentinelPath;
        return path == null || (ch.remoteAddress() instanceof DomainSocketAddress
                && path.equals(((DomainSocketAddress) ch.remoteAddress()).path()));
    }

    /** From now on every admitted connection is kept in {@code k} until this instance ends it. */
    void keepIn(Handover.Keeper k) {
        keeper = k;
    }

    /** Where admitted connections are kept, or null. */
    Handover.Keeper keeper() {
        return keeper;
    }

    /** Waits until the sentinel connection was accepted: every connection queued before it was too. */
    boolean awaitSentinel(long timeoutNanos) throws InterruptedException {
        return sentinelAccepted.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** The peer's credentials (epoll), or null (nio, or the peer is gone). */
    private static PeerCredentials peer(Channel ch) {
        if (ch instanceof EpollDomainSocketChannel) {
            try {
                return ((EpollDomainSocketChannel) ch).peerCredentials();
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    /** Registers a new connection; false (and counted) if the limit is reached or the peer's uid is not allowed. */
    boolean admit(Channel ch) {
        PeerCredentials peer = peer(ch);
        if (isSentinel(ch, peer)) {
            sentinelAccepted.countDown();
            return false; // not a client: closed at once, not counted
        }
        if (!allowedUids.isEmpty() && (peer == null || !allowedUids.contains(peer.uid()))) {
            counters.connectionsRefusedUid.increment();
            warnings.warn("refusing input connection from uid {} (pid {}): not in input.allowed-uids {}",
                    peer == null ? "?" : peer.uid(), peer == null ? "?" : peer.pid(), allowedUids);
            return false;
        }
        synchronized (open) {
            if (open.size() >= max && !evictIdle()) {
                counters.connectionsRefused.increment();
                warnings.warn("refusing input connection: max-connections ({}) reached and none has been idle for "
                        + "input.idle-timeout", max);
                return false;
            }
            ch.attr(LAST_LINE).set(System.nanoTime());
            open.add(ch);
        }
        counters.connectionsTotal.increment();
        counters.connectionsActive.incrementAndGet();
        if (peer != null) {
            LOG.debug("input connection {} opened by pid {}, uid {}, gids {}", ch.id().asShortText(), peer.pid(),
                    peer.uid(), Arrays.toString(peer.gids()));
        } else {
            LOG.debug("input connection {} opened", ch.id().asShortText());
        }
        ch.closeFuture().addListener(f -> {
            counters.connectionsActive.decrementAndGet();
            LOG.debug("input connection {} closed", ch.id().asShortText());
        });
        keep(ch);
        return true;
    }

    /**
     * Puts an admitted connection into the keeper's store (an adopted one is there already), and takes
     * it out when it closes, unless it closes because it was handed over.
     */
    private void keep(Channel ch) {
        Handover.Keeper k = keeper;
        if (k == null || !(ch instanceof EpollDomainSocketChannel)) {
            return;
        }
        String name = ch.attr(STORED_AS).get();
        if (name == null) {
            name = EveServer.HANDOVER_PREFIX + ch.id().asLongText();
            ch.attr(STORED_AS).set(name);
            k.store(((EpollDomainSocketChannel) ch).fd().intValue(), name);
        }
        String stored = name;
        ch.closeFuture().addListener(f -> {
            if (!Boolean.TRUE.equals(ch.attr(Handover.LEAVING).get())) {
                k.remove(stored);
            }
        });
    }

    /** Under the lock of {@code open}: closes the longest-idle connection if idle long enough; whether it did. */
    private boolean evictIdle() {
        long now = System.nanoTime();
        Channel idlest = null;
        long idlestSince = now;
        for (Channel c : open) {
            Long last = c.attr(LAST_LINE).get();
            if (last != null && last - idlestSince < 0) {
                idlest = c;
                idlestSince = last;
            }
        }
        if (idlest == null || now - idlestSince < idleNanos) {
            return false;
        }
        open.remove(idlest);
        idlest.close();
        counters.connectionsEvictedIdle.increment();
        LOG.warn("input connection {} had sent no complete line for {} s: closed to give its slot to a new connection "
                + "(max-connections {}; counted in connections_evicted_idle)", idlest.id().asShortText(),
                TimeUnit.NANOSECONDS.toSeconds(now - idlestSince), max);
        return true;
    }

    ChannelGroup open() {
        return open;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        // Peer's EOF (ChannelInputShutdownEvent), or EOF after our own half-close at shutdown
        // (only ChannelInputShutdownReadComplete). Closing runs the framer's decodeLast.
        if (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Fatal.ifFatal("input connection " + ctx.channel().id().asShortText(), cause);
        if (cause instanceof IOException) {
            LOG.debug("input connection {}: {}", ctx.channel().id().asShortText(), cause.getMessage());
        } else {
            warnings.warn("input connection {}: unexpected error, closing it: {}",
                    ctx.channel().id().asShortText(), String.valueOf(cause));
        }
        ctx.close();
    }
}

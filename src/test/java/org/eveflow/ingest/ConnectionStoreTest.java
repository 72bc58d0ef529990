package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.counters.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The fd store's books ({@link Connections} with a {@link Handover.Keeper}), on real epoll sockets: a
 * connection goes into the store once, when it is admitted, and comes out when eveflow ends it (its
 * input ended, it was evicted idle): else systemd would hold it open and Suricata would write into a
 * socket nobody reads. One that arrives from the store is not stored again, one that leaves at a
 * handover stays, and one that is refused is never stored.
 */
class ConnectionStoreTest {
    private final Counters counters = new Counters();
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(ConnectionStoreTest.class), 10_000);
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Handover.Keeper keeper = new Handover.Keeper() {
        @Override
        public void store(int fd, String name) {
            events.add("store " + name);
        }

        @Override
        public void remove(String name) {
            events.add("remove " + name);
        }

        @Override
        public boolean keep(int fd, String name, Handover held) {
            return true;
        }
    };

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Connections for up to {@code max} clients that keep each in the recording store. */
    private Connections keeping(int max) {
        Connections c = new Connections(max, Set.of(), TimeUnit.SECONDS.toNanos(60), counters, log);
        c.keepIn(keeper);
        return c;
    }

    private EpollDomainSocketChannel socket() throws Exception {
        EpollDomainSocketChannel ch = new EpollDomainSocketChannel(Socket.newSocketDomain().intValue());
        group.register(ch).sync();
        return ch;
    }

    private static String name(EpollDomainSocketChannel ch) {
        return EveServer.HANDOVER_PREFIX + ch.id().asLongText();
    }

    @Test
    void storedWhenAdmittedRemovedWhenEnded() throws Exception {
        Connections c = keeping(4);
        EpollDomainSocketChannel ch = socket();
        assertThat(c.admit(ch)).isTrue();
        assertThat(events).containsExactly("store " + name(ch));
        ch.close().sync();
        await().untilAsserted(() -> assertThat(events).containsExactly("store " + name(ch), "remove " + name(ch)));
    }

    @Test
    void anEvictedConnectionLeavesTheStore() throws Exception {
        Connections c = keeping(1);
        EpollDomainSocketChannel idle = socket();
        c.admit(idle);
        idle.attr(Connections.LAST_LINE).set(System.nanoTime() - TimeUnit.SECONDS.toNanos(61));
        EpollDomainSocketChannel next = socket();
        assertThat(c.admit(next)).isTrue();
        await().untilAsserted(() -> assertThat(events) // the eviction's close runs on the event loop meanwhile
                .containsExactlyInAnyOrder("store " + name(idle), "store " + name(next), "remove " + name(idle)));
    }

    @Test
    void anAdoptedConnectionKeepsItsNameAndIsNotStoredTwice() throws Exception {
        Connections c = keeping(4);
        EpollDomainSocketChannel ch = socket();
        ch.attr(Connections.STORED_AS).set("eveflow-conn-earlier");
        c.admit(ch);
        ch.close().sync();
        await().untilAsserted(() -> assertThat(events).containsExactly("remove eveflow-conn-earlier"));
    }

    @Test
    void aConnectionHandedOverStaysInTheStore() throws Exception {
        Connections c = keeping(4);
        EpollDomainSocketChannel ch = socket();
        c.admit(ch);
        ch.attr(Handover.LEAVING).set(Boolean.TRUE);
        ch.close().sync();
        ch.eventLoop().submit(() -> { }).sync(); // the close listeners have run
        assertThat(events).containsExactly("store " + name(ch));
    }

    @Test
    void aRefusedConnectionIsNeverStored() throws Exception {
        Connections c = keeping(1);
        EpollDomainSocketChannel first = socket();
        EpollDomainSocketChannel refused = socket();
        c.admit(first);
        assertThat(c.admit(refused)).isFalse();
        refused.close().sync();
        refused.eventLoop().submit(() -> { }).sync(); // the close listeners have run
        assertThat(events).containsExactly("store " + name(first));
    }
}

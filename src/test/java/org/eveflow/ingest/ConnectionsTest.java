package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.counters.Counters;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The connection limiter ({@link Connections}) on {@link EmbeddedChannel}s: up to max-connections are
 * admitted, the next is refused and counted unless one has read nothing for the idle timeout (that one
 * is closed, counted, and its slot given), a peer whose uid is unknown is refused when an allow-list
 * is set, and a connection whose input ended is closed.
 */
class ConnectionsTest {
    private final Counters counters = new Counters();
    private final RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(ConnectionsTest.class), 10_000);

    /** A channel with an id of its own (EmbeddedChannels share one by default, and the group is a set by id). */
    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(DefaultChannelId.newInstance());
    }

    @Test
    void admitsUpToTheLimitThenRefusesAndCounts() {
        Connections c = new Connections(2, Set.of(), TimeUnit.SECONDS.toNanos(60), counters, log);
        EmbeddedChannel a = channel();
        EmbeddedChannel b = channel();
        EmbeddedChannel third = channel();
        assertThat(c.admit(a)).isTrue();
        assertThat(c.admit(b)).isTrue();
        assertThat(c.admit(third)).isFalse();
        assertThat(counters.connectionsRefused.sum()).isEqualTo(1);
        assertThat(counters.connectionsTotal.sum()).isEqualTo(2);
        assertThat(counters.connectionsActive.get()).isEqualTo(2);
        a.close();
        assertThat(counters.connectionsActive.get()).isEqualTo(1);
        assertThat(c.admit(third)).isTrue(); // the closed one's slot is free again
    }

    @Test
    void theLongestIdleConnectionGivesItsSlotOnceIdleLongEnough() {
        Connections c = new Connections(2, Set.of(), TimeUnit.SECONDS.toNanos(60), counters, log);
        EmbeddedChannel old = channel();
        EmbeddedChannel recent = channel();
        c.admit(old);
        c.admit(recent);
        old.attr(Connections.LAST_LINE).set(System.nanoTime() - TimeUnit.SECONDS.toNanos(61));
        recent.attr(Connections.LAST_LINE).set(System.nanoTime() - TimeUnit.SECONDS.toNanos(30));
        EmbeddedChannel next = channel();
        assertThat(c.admit(next)).isTrue();
        assertThat(old.isOpen()).isFalse();
        assertThat(recent.isOpen()).isTrue();
        assertThat(counters.connectionsEvictedIdle.sum()).isEqualTo(1);
        // now none has been idle long enough
        assertThat(c.admit(channel())).isFalse();
        assertThat(counters.connectionsRefused.sum()).isEqualTo(1);
    }

    @Test
    void withAnAllowListAPeerWithoutKnownCredentialsIsRefused() {
        Connections c = new Connections(8, Set.of(0), TimeUnit.SECONDS.toNanos(60), counters, log);
        assertThat(c.admit(channel())).isFalse(); // no SO_PEERCRED on this channel
        assertThat(counters.connectionsRefusedUid.sum()).isEqualTo(1);
        assertThat(counters.connectionsTotal.sum()).isZero();
    }

    @Test
    void aConnectionWhoseInputEndedIsClosed() {
        Connections c = new Connections(8, Set.of(), TimeUnit.SECONDS.toNanos(60), counters, log);
        EmbeddedChannel ch = new EmbeddedChannel(DefaultChannelId.newInstance(), c);
        c.admit(ch);
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ch.isOpen()).isFalse();
        assertThat(counters.connectionsActive.get()).isZero();
    }
}

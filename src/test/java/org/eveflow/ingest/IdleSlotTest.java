package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Idle clients cannot lock Suricata out: a connection idle for idle-timeout gives its slot to a new one. */
class IdleSlotTest {
    @TempDir
    Path dir;

    @Test
    void idleConnectionsGiveTheirSlotsToANewWriter() throws Exception {
        TestDaemon d = TestDaemon.start(dir, "input:\n  max-connections: 2\n  idle-timeout: 300ms\n",
                TestDaemon.flags("1h", "alert"));
        try (SocketChannel idle1 = SocketChannel.open(StandardProtocolFamily.UNIX);
             SocketChannel idle2 = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            idle1.connect(UnixDomainSocketAddress.of(d.in));
            idle2.connect(UnixDomainSocketAddress.of(d.in));
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().connectionsActive.get() == 2);
            // Suricata (re)connects until a slot is free: the idle ones are closed once idle for 300 ms.
            // One attempt at a time: each ends refused or decoded before the next is made.
            long[] attempts = {0};
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> {
                long outcomes = d.counters().connectionsRefused.sum() + d.counters().linesDecoded.sum();
                if (d.counters().linesDecoded.sum() > 0) {
                    return true;
                }
                if (outcomes == attempts[0]) {
                    attempts[0]++;
                    try (EveWriter w = new EveWriter(d.in)) {
                        w.line("{\"event_type\":\"alert\",\"n\":1}");
                    }
                }
                return false;
            });
            assertThat(d.counters().connectionsEvictedIdle.sum()).isEqualTo(1);
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(1);
            assertThat(d.counters().connectionsTotal.sum()).isEqualTo(3); // the two idle ones and the writer
        } finally {
            d.stop();
        }
    }

    @Test
    void aConnectionThatWritesKeepsItsSlot() throws Exception {
        TestDaemon d = TestDaemon.start(dir, "input:\n  max-connections: 1\n  idle-timeout: 1h\n",
                TestDaemon.flags("1h", "alert"));
        try (SocketChannel first = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            first.connect(UnixDomainSocketAddress.of(d.in));
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().connectionsActive.get() == 1);
            try (EveWriter w = new EveWriter(d.in)) {
                w.line("{\"event_type\":\"alert\",\"n\":1}");
            } catch (java.io.IOException refused) {
                // the daemon may close the refused connection before the line is written (EPIPE)
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().connectionsRefused.sum() == 1);
            assertThat(d.counters().connectionsEvictedIdle.sum()).isZero();
            assertThat(d.counters().linesDecoded.sum()).isZero();
        } finally {
            d.stop();
        }
    }
}

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
            // the idle ones are closed once idle for 300 ms
            writeLikeSuricataUntilASlotIsFree(d);
            assertThat(d.counters().connectionsEvictedIdle.sum()).isEqualTo(1);
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(1);
            assertThat(d.counters().connectionsTotal.sum()).isEqualTo(3); // the two idle ones and the writer
        } finally {
            d.stop();
        }
    }

    /**
     * A client that sends a blank line or a space now and then, never a complete line, is idle: four
     * such clients cannot hold every slot against Suricata.
     */
    @Test
    void tricklingClientsAreIdle() throws Exception {
        TestDaemon d = TestDaemon.start(dir, "input:\n  max-connections: 2\n  idle-timeout: 500ms\n",
                TestDaemon.flags("1h", "alert"));
        java.util.concurrent.ScheduledExecutorService trickle = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (SocketChannel newlines = SocketChannel.open(StandardProtocolFamily.UNIX);
             SocketChannel spaces = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            newlines.connect(UnixDomainSocketAddress.of(d.in));
            spaces.connect(UnixDomainSocketAddress.of(d.in));
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().connectionsActive.get() == 2);
            // one byte each every 100 ms, five times within the idle timeout
            trickle.scheduleAtFixedRate(() -> {
                try {
                    newlines.write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
                    spaces.write(java.nio.ByteBuffer.wrap(new byte[] {' '}));
                } catch (java.io.IOException evicted) {
                    // closed by the daemon to give the slot to Suricata
                }
            }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);
            writeLikeSuricataUntilASlotIsFree(d);
            assertThat(d.counters().connectionsEvictedIdle.sum()).isEqualTo(1);
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(1);
            assertThat(d.counters().bytesReceived.sum()).isGreaterThan(d.counters().linesDecoded.sum() * 30);
        } finally {
            trickle.shutdownNow();
            d.stop();
        }
    }

    /**
     * Suricata (re)connects until a slot is free, one attempt at a time: each ends refused or decoded
     * before the next is made; returns once one line was decoded.
     */
    private static void writeLikeSuricataUntilASlotIsFree(TestDaemon d) {
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

package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eveflow.daemon.StartupException;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 6: stale sockets are replaced, live sockets and non-sockets are never taken or removed. */
class SocketFileTest {
    @TempDir
    Path dir;

    @Test
    void staleSocketFileIsReplacedAndOurSocketIsRemovedAtStop() throws Exception {
        Path in = dir.resolve("in.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(in));
        } // closed: the file stays, nobody listens
        assertThat(in).exists();
        TestDaemon d = TestDaemon.start(dir, "input:\n  socket-mode: \"0600\"\n", TestDaemon.flags("1h"));
        try (EveWriter w = new EveWriter(in)) {
            w.line("{\"event_type\":\"dns\"}");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(in))).isEqualTo("rw-------");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).doesNotContain(".in.sock." + ProcessHandle
                .current().pid() + ".tmp");
        d.stop();
        assertThat(d.counters().events.get("dns")).isEqualTo(1);
        assertThat(in).doesNotExist();
    }

    @Test
    void liveSocketOfAnotherProcessIsNeverTaken() throws Exception {
        Path in = dir.resolve("in.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(in));
            Object inode = Files.readAttributes(in, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            assertThatThrownBy(() -> TestDaemon.start(dir, "", TestDaemon.flags("1h")))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("in use by another process")
                    .satisfies(e -> assertThat(((StartupException) e).exitCode()).isEqualTo(3));
            assertThat(Files.readAttributes(in, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                    .isEqualTo(inode);
        }
    }

    @Test
    void aListenerThatDoesNotAcceptIsTreatedAsLiveWithoutHanging() throws Exception {
        Path in = dir.resolve("in.sock");
        try (org.eveflow.testing.StuckListener stuck = new org.eveflow.testing.StuckListener(in)) { // a stopped listener
            long start = System.nanoTime();
            assertThatThrownBy(() -> SocketFile.probe(in, 1_000)).isInstanceOf(SocketInUseException.class)
                    .hasMessageContaining(in.toString()).hasMessageContaining("does not accept connections");
            assertThat(System.nanoTime() - start).as("the probe never blocks").isLessThan(5_000_000_000L);
            assertThat(Files.exists(in)).isTrue();
        }
    }

    @Test
    void pathThatIsNotASocketIsNeverRemoved() throws Exception {
        Path in = dir.resolve("in.sock");
        Files.writeString(in, "precious");
        assertThatThrownBy(() -> TestDaemon.start(dir, "", TestDaemon.flags("1h")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("not a socket")
                .satisfies(e -> assertThat(((StartupException) e).exitCode()).isEqualTo(3));
        assertThat(Files.readString(in)).isEqualTo("precious");
    }

    @Test
    void socketReplacedByAnotherFileWhileRunningIsLeftInPlace() throws Exception {
        Path in = dir.resolve("in.sock");
        TestDaemon d = TestDaemon.start(dir, "", TestDaemon.flags("1h"));
        Files.delete(in);
        Files.writeString(in, "someone else's");
        d.stop();
        assertThat(Files.readString(in)).isEqualTo("someone else's");
    }

    @Test
    void missingDirectoryIsAClearStartupError() {
        assertThatThrownBy(() -> TestDaemon.start(dir, "input:\n  socket: " + dir.resolve("nope/in.sock") + "\n",
                org.eveflow.config.Overrides.none().with("--in-socket", dir.resolve("nope/in.sock").toString()).with("--flushtime", "1h")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("does not exist")
                .satisfies(e -> assertThat(((StartupException) e).exitCode()).isEqualTo(1));
    }
}

package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who can connect to the input socket: its mode, its group ({@code input.socket-group}) and the
 * uid allow-list ({@code input.allowed-uids}), tested with a real second user: a client run as
 * nobody:nogroup through {@code setpriv} (the tests run as root, as CI does).
 */
class SocketAccessTest {
    private static final int NOBODY = 65534;
    private static final String LINE = "{\"event_type\":\"alert\",\"from\":\"client\"}";

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void sharedDirectory() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to run a client as another user");
        dir = tmp.resolve("d");
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("Connect.java"), """
                import java.net.*; import java.nio.*; import java.nio.channels.*;
                public class Connect {
                    public static void main(String[] a) throws Exception {
                        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                            c.connect(UnixDomainSocketAddress.of(a[0]));
                            c.write(ByteBuffer.wrap((a[1] + "\\n").getBytes("UTF-8")));
                        } catch (java.io.IOException e) {
                            System.out.println("connect failed: " + e.getMessage());
                            System.exit(1);
                        }
                    }
                }
                """);
    }

    /** Connects as nobody:nogroup and sends one line; the client's exit code (0: connected and sent). */
    private int sendAsNobody(Path socket) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                java, dir.resolve("Connect.java").toString(), socket.toString(), LINE)
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        p.getInputStream().transferTo(System.out);
        return p.exitValue();
    }

    private interface DaemonCheck {
        void run(TestDaemon d) throws Exception;
    }

    /** Runs {@code check} against a daemon started with {@code yaml}, stopping it afterwards; returns it. */
    private TestDaemon withDaemon(String yaml, DaemonCheck check) throws Exception {
        TestDaemon d = TestDaemon.start(dir, yaml, TestDaemon.flags("1h"));
        try {
            check.run(d);
        } finally {
            d.stop();
        }
        return d;
    }

    private static void sendAsRoot(Path socket) throws Exception {
        try (EveWriter w = new EveWriter(socket)) {
            w.line(LINE);
        }
    }

    @Test
    void modeKeepsOtherUsersOutAndNoTemporaryEntryIsLeft() throws Exception {
        withDaemon("input:\n  socket-mode: \"0600\"\n", d -> {
            assertThat(Files.getAttribute(d.in, "unix:mode", LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo(0140600);
            try (Stream<Path> entries = Files.list(dir)) {
                assertThat(entries.map(p -> p.getFileName().toString()))
                        .containsExactlyInAnyOrder("Connect.java", "eveflow.yaml", "in.sock");
            }
            assertThat(sendAsNobody(d.in)).isEqualTo(1);
            sendAsRoot(d.in);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().linesDecoded.sum() == 1);
            assertThat(d.counters().connectionsTotal.sum()).isEqualTo(1);
        });
    }

    @Test
    void anUnquotedModeIsTheModeWrittenAndKeepsOtherUsersOut() throws Exception {
        // YAML reads 0660 as the integer 432; it was once taken for "432" in octal (r---wx-w-: writable by all)
        withDaemon("input:\n  socket-mode: 0660\n", d -> {
            assertThat(Files.getAttribute(d.in, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0140660);
            assertThat(sendAsNobody(d.in)).isEqualTo(1);
            sendAsRoot(d.in);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().linesDecoded.sum() == 1);
            assertThat(d.counters().connectionsTotal.sum()).isEqualTo(1);
        });
    }

    @Test
    void socketGroupLetsThatGroupIn() throws Exception {
        withDaemon("input:\n  socket-mode: \"0660\"\n  socket-group: nogroup\n", d -> {
            assertThat(Files.getAttribute(d.in, "unix:gid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(NOBODY);
            assertThat(Files.getAttribute(d.in, "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0140660);
            assertThat(sendAsNobody(d.in)).isEqualTo(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().linesDecoded.sum() == 1);
        });
    }

    @Test
    void uidAllowListClosesOtherPeersAndCountsThem() throws Exception {
        TestDaemon d = withDaemon("input:\n  socket-mode: \"0666\"\n  allowed-uids: [0]\n", t -> {
            sendAsNobody(t.in); // connects (the mode allows it), then eveflow closes it unread
            await().atMost(Duration.ofSeconds(10)).until(() -> t.counters().connectionsRefusedUid.sum() == 1);
            sendAsRoot(t.in);
            await().atMost(Duration.ofSeconds(10)).until(() -> t.counters().linesDecoded.sum() == 1);
            assertThat(t.counters().linesReceived()).isEqualTo(1);
            assertThat(t.counters().connectionsTotal.sum()).isEqualTo(1);
        });
        assertThat(List.of(d.counters().linesMalformed.sum(), d.counters().linesOversized.sum())).containsOnly(0L);
    }
}

package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.eveflow.config.Overrides;
import org.eveflow.counters.OutputCounters;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output writes only to a listener it may trust (SO_PEERCRED at connect): not to another local user
 * who bound the path first, unless that uid is in listener-uids, and never to eveflow's own input
 * through a symlink. The other user is real: a listener run as nobody through setpriv (tests run as
 * root, as CI does).
 */
class ListenerCheckTest {
    private static final int NOBODY = 65534;
    private static final String ALERT = "{\"event_type\":\"alert\",\"n\":1}";
    private static final String LISTENER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.bind(sys.argv[1])
            s.listen(8)
            open(sys.argv[2] + '.ready', 'w').close()
            while True:
                c, _ = s.accept()
                with open(sys.argv[2], 'ab') as f:
                    while True:
                        b = c.recv(65536)
                        if not b:
                            break
                        f.write(b)
                        f.flush()
            """;

    /**
     * Refusals count as failed connects: the backoff grows; capped here so the test waits less. The alert
     * that cannot be written keeps the stop waiting for the whole grace period: 1 s.
     */
    private static final String FAST_RETRY = "shutdown-grace: 1s\noutputs:\n  default:\n    reconnect-backoff-max: 200ms\n";

    @TempDir
    Path tmp;

    @Test
    void aSymlinkToTheInputIsRefusedAtConnectAndNothingLoops() throws Exception {
        Path link = tmp.resolve("forward.sock");
        TestDaemon d = TestDaemon.start(tmp, FAST_RETRY, Overrides.none().with("--out-socket", link.toString()).with("--flushtime", "1h").with("--fwd-event-types", java.util.List.of("alert")));
        try {
            OutputCounters o = d.counters().output("default");
            await().atMost(Duration.ofSeconds(20)).until(() -> o.connectFailures.sum() >= 1); // no file yet
            Files.createSymbolicLink(link, d.in); // made after the configuration was checked
            try (EveWriter w = new EveWriter(d.in)) {
                w.line(ALERT);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> o.listenerRefused.sum() >= 3);
            assertThat(d.counters().linesReceived()).as("the alert was not fed back to the input").isEqualTo(1);
            assertThat(o.written.sum()).isZero();
            assertThat(o.bufferedLines.get()).isEqualTo(1);
        } finally {
            d.stop();
        }
    }

    @Test
    void anotherUsersListenerIsRefusedUnlessListed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to run a listener as another user");
        Path dir = tmp.resolve("shared");
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.writeString(dir.resolve("listen.py"), LISTENER);

        Path refusedOut = dir.resolve("refused.sock");
        Path received = dir.resolve("refused.bytes");
        Process squatter = listenAsNobody(dir, refusedOut, received);
        try {
            TestDaemon d = TestDaemon.start(dir, FAST_RETRY, Overrides.none().with("--out-socket", refusedOut.toString()).with("--flushtime", "1h").with("--fwd-event-types", java.util.List.of("alert")));
            try {
                try (EveWriter w = new EveWriter(d.in)) {
                    w.line(ALERT);
                }
                OutputCounters o = d.counters().output("default");
                await().atMost(Duration.ofSeconds(20)).until(() -> o.listenerRefused.sum() >= 2);
                assertThat(o.written.sum()).isZero();
            } finally {
                d.stop();
            }
            assertThat(Files.exists(received) ? Files.size(received) : 0).as("bytes the other user got").isZero();
        } finally {
            squatter.destroyForcibly().waitFor();
        }

        Path allowedOut = dir.resolve("allowed.sock");
        Path allowedBytes = dir.resolve("allowed.bytes");
        Process reader = listenAsNobody(dir, allowedOut, allowedBytes);
        try {
            TestDaemon d = TestDaemon.start(dir, "outputs:\n  default:\n    listener-uids: [" + NOBODY + "]\n",
                    Overrides.none().with("--out-socket", allowedOut.toString()).with("--flushtime", "1h").with("--fwd-event-types", java.util.List.of("alert")));
            try {
                try (EveWriter w = new EveWriter(d.in)) {
                    w.line(ALERT);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(allowedBytes)
                        && Files.readString(allowedBytes).equals(ALERT + "\n"));
                assertThat(d.counters().output("default").listenerRefused.sum()).isZero();
            } finally {
                d.stop();
            }
        } finally {
            reader.destroyForcibly().waitFor();
        }
    }

    private static Process listenAsNobody(Path dir, Path socket, Path received) throws Exception {
        Process p = new ProcessBuilder("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                "/usr/bin/python3", dir.resolve("listen.py").toString(), socket.toString(), received.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Path.of(received + ".ready")) || !p.isAlive());
        assertThat(p.isAlive()).as("the listener runs").isTrue();
        return p;
    }
}

package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.unix.FileDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A descriptor really arrives with its message, as systemd's notify socket receives it: a Python
 * receiver (recvmsg with SCM_RIGHTS, what sd_notify's server side does) writes into the file through
 * the descriptor it got, on a path socket and in the abstract namespace.
 */
class FdPassingTest {
    private static final String RECEIVER = """
            import socket, sys, os
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            name = sys.argv[1]
            s.bind('\\0' + name[1:] if name.startswith('@') else name)
            open(sys.argv[2] + '.ready', 'w').close()
            msg, fds, flags, addr = socket.recv_fds(s, 4096, 4)
            with open(sys.argv[2], 'w') as out:
                out.write(msg.decode() + '|' + str(len(fds)))
            os.write(fds[0], b'written through the descriptor')
            """;

    @TempDir
    Path dir;

    @Test
    void aFileDescriptorArrivesWithItsMessage() throws Exception {
        Files.writeString(dir.resolve("receiver.py"), RECEIVER);
        Path content = dir.resolve("content");
        for (String socket : new String[] {dir.resolve("notify").toString(), "@eveflow-test-" + ProcessHandle.current().pid()}) {
            Path got = dir.resolve("got-" + socket.hashCode());
            Process receiver = new ProcessBuilder("/usr/bin/python3", dir.resolve("receiver.py").toString(), socket,
                    got.toString()).inheritIO().start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(Path.of(got + ".ready")));
                io.netty.channel.epoll.Epoll.ensureAvailability(); // loads the native library FileDescriptor uses
                FileDescriptor fd = FileDescriptor.from(content.toString()); // Netty opens it for writing
                try {
                    FdPassing.send(socket, "FDSTORE=1\nFDNAME=eveflow-conn-1", fd.intValue());
                } finally {
                    fd.close();
                }
                assertThat(receiver.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(Files.readString(got, StandardCharsets.UTF_8)).isEqualTo("FDSTORE=1\nFDNAME=eveflow-conn-1|1");
                assertThat(Files.readString(content, StandardCharsets.UTF_8)).isEqualTo("written through the descriptor");
            } finally {
                receiver.destroyForcibly();
            }
        }
    }
}

package org.eveflow.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure messages name the cause the way an operator looks it up. */
class ErrorsTest {
    @TempDir
    Path dir;

    @Test
    void errnoNamesForWhatTheJdkAndNettyWrap() {
        assertThat(Errors.describe(new NoSuchFileException("/x"))).isEqualTo("ENOENT: no such file or directory");
        assertThat(Errors.describe(new AccessDeniedException("/run/x/.eveflow-1"))).isEqualTo("EACCES: permission denied");
        assertThat(Errors.describe(new ConnectException("Connection refused"))).startsWith("ECONNREFUSED");
        assertThat(Errors.describe(new IOException("connect(..) failed: No such file or directory"))).startsWith("ENOENT");
        assertThat(Errors.describe(new IOException(new IOException("Resource temporarily unavailable")))).startsWith("EAGAIN");
        assertThat(Errors.describe(new IOException((String) null))).isEqualTo("IOException");
    }

    @Test
    void aConnectFailureSaysWhatIsAtThePath() throws Exception {
        Path missing = dir.resolve("out.sock");
        assertThat(Errors.describeConnect(missing, new IOException((String) null)))
                .isEqualTo("ENOENT: no such socket (the reader is not running?)");
        assertThat(Errors.describeConnect(dir.resolve("nodir/out.sock"), null)).startsWith("ENOENT: directory ");
        Path file = Files.writeString(dir.resolve("file.sock"), "x");
        assertThat(Errors.describeConnect(file, new IOException((String) null)))
                .isEqualTo("ENOTSOCK: " + file + " is a regular file, not a socket");
    }
}

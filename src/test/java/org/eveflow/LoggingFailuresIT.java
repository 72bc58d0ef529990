package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log that cannot be written is never silent: a log file that is a directory is an invalid
 * configuration, and a full disk (/dev/full) is told on stderr, counted (log_failures), and the final
 * counters reach stderr when the log could not take them.
 */
class LoggingFailuresIT {
    @TempDir
    Path dir;

    @Test
    void aLogFileThatIsADirectoryIsAnInvalidConfiguration() throws Exception {
        DaemonProcess.Result r = DaemonProcess.run(dir, "run", "-i", dir.resolve("in.sock").toString(), "-o", "",
                "--logfile", dir.toString());
        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("--logfile (logging.file): " + dir + " is a directory");
        DaemonProcess.Result check = DaemonProcess.run(dir, "check-config", "--logfile", dir.toString());
        assertThat(check.exitCode()).as(check.output()).isEqualTo(2);
    }

    @Test
    void aFullDiskIsToldOnStderrCountedAndTheFinalCountersGoThere() throws Exception {
        Path in = dir.resolve("in.sock");
        try (DaemonProcess p = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o", "", "-f", "1h",
                "--logfile", "/dev/full")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 10; i++) {
                    w.line("{\"event_type\":\"alert\",\"n\":" + i + "}");
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("the log cannot be written"));
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(p.output()).containsPattern("eveflow: stopped; the log could not be written [1-9][0-9]* times; "
                    + "final counters: \\{lines_received=10, lines_decoded=10, ");
            assertThat(p.output()).containsPattern("log_failures=[1-9]");
        }
    }
}

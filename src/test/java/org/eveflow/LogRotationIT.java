package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.eveflow.testing.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * logrotate's way with a log file: rename it, then SIGHUP (the package's logrotate snippet does
 * {@code systemctl reload eveflow}). eveflow then writes to a new file at the configured path, created
 * 0640, and not one line more to the renamed one; every line is in one of the two, in order.
 */
class LogRotationIT {
    @TempDir
    Path dir;

    private static long statsLines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.contains("stats: lines_received=")).count() : 0;
    }

    @Test
    void aRenamedLogIsReopenedOnSighupWithoutALineLostOrMisplaced() throws Exception {
        Path log = dir.resolve("eveflow.log");
        Path rotated = dir.resolve("eveflow.log.1");
        Path in = dir.resolve("in.sock");
        try (DaemonProcess p = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o", "", "-f", "1h",
                "--stats-interval", "100ms", "--logfile", log.toString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> statsLines(log) >= 3 || !p.isAlive());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
            Files.move(log, rotated); // logrotate's rename; eveflow writes on into it until the SIGHUP
            await().atMost(Duration.ofSeconds(10)).until(() -> statsLines(rotated) >= 5);
            p.signal("HUP");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log)
                    && Files.readString(log).contains("SIGHUP received: log file reopened"));
            long rotatedSize = Files.size(rotated);
            await().atMost(Duration.ofSeconds(30)).until(() -> statsLines(log) >= 5); // half a second more
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(Files.size(rotated)).as("nothing written to the renamed file after the reopen").isEqualTo(rotatedSize);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
            List<String> before = Files.readAllLines(rotated);
            List<String> after = Files.readAllLines(log);
            assertThat(before).noneMatch(l -> l.contains("SIGHUP")).anyMatch(l -> l.contains("eveflow started"));
            assertThat(after.get(after.size() - 1)).contains("eveflow stopped");
            // in order across the two files: the renamed one's last line is not later than the new one's first
            assertThat(before.get(before.size() - 1).substring(0, 24)).isLessThanOrEqualTo(after.get(0).substring(0, 24));
            assertThat(String.join("\n", after)).doesNotContain("log_failures=");
        }
    }
}

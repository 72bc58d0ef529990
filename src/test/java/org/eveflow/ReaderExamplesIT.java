package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Python reader (conf/readers/eveflow-reader.py), started as its comment says, takes
 * every line eveflow writes to it: the aggregates sum to exactly what was sent, the alerts arrive byte
 * for byte; it serves eveflow's next connection after a restart, and removes its socket on SIGTERM.
 */
class ReaderExamplesIT {
    @TempDir
    Path dir;

    @Test
    void thePythonReaderGetsEveryLine() throws Exception {
        Path readerSocket = dir.resolve("python.sock");
        Path received = dir.resolve("received.json");
        Process reader = new ProcessBuilder("/usr/bin/python3", "conf/readers/eveflow-reader.py", readerSocket.toString())
                .redirectOutput(received.toFile()).redirectError(dir.resolve("reader.err").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(readerSocket) || !reader.isAlive());
            assertThat(reader.isAlive()).as("reader: %s", Files.readString(dir.resolve("reader.err"))).isTrue();
            FlowGen gen = new FlowGen(300, 11);
            List<String> alerts = new ArrayList<>();
            Path in = dir.resolve("in.sock");
            for (int round = 0; round < 2; round++) { // a restart between: the reader serves the new connection
                try (DaemonProcess p = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o", readerSocket.toString(),
                        "-t", "alert", "-f", "1h")) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
                    try (EveWriter w = new EveWriter(in)) {
                        for (int i = 0; i < 5_000; i++) {
                            w.line(gen.next());
                            if (i % 100 == 0) {
                                String alert = "{\"timestamp\":\"2026-12-06T10:00:00.000000+0000\",\"event_type\":\"alert\","
                                        + "\"src_ip\":\"10.0.0." + round + "\",\"alert\":{\"signature_id\":" + i
                                        + ",\"signature\":\"ünïcode \\\"quoted\\\"\"}}";
                                alerts.add(alert);
                                w.line(alert);
                            }
                        }
                    }
                    await().atMost(Duration.ofSeconds(30)).until(() -> p.lastStats().getOrDefault("lines_received", 0L)
                            == 5_050L);
                    p.sigterm();
                    assertThat(p.waitFor(60)).as(p.output()).isZero();
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Aggregates.sum(aggregates(received)).equals(gen.expected()));
            List<String> lines = Files.readAllLines(received);
            assertThat(lines.stream().filter(l -> !Aggregates.isAggregate(l)).toList()).containsExactlyElementsOf(alerts);
            reader.destroy(); // SIGTERM
            assertThat(reader.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(reader.exitValue()).isZero();
            assertThat(readerSocket).doesNotExist();
        } finally {
            reader.destroyForcibly();
            reader.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> aggregates(Path file) throws java.io.IOException {
        return Files.readAllLines(file).stream().filter(Aggregates::isAggregate).toList();
    }
}

package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload is all or nothing, and a configuration the InfluxDB client cannot use is an invalid
 * configuration: at start exit 2, at SIGHUP the running configuration stays (logged, counted), the
 * window is delivered at SIGTERM, and the credential is never printed.
 */
class ReloadFaultsIT {
    private static final String BAD_URL = "http://admin:s3cret@127.0.0.1:99999";
    private static final String BAD_INFLUX = "stats:\n  influx:\n    url: " + BAD_URL + "\n    api: v1\n    database: x\n";

    @TempDir
    Path dir;

    @Test
    void aReloadToAUrlTheClientRefusesKeepsTheDaemonAndItsWindow() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, "logging:\n  level: info\n");
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, "run", "--config", cfg.toString(), "-i", in.toString(),
                     "-o", out.toString(), "-f", "1h", "-v")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            FlowGen gen = new FlowGen(10, 3);
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 100; i++) {
                    w.line(gen.next());
                }
            }
            Files.writeString(cfg, BAD_INFLUX);
            p.signal("HUP");
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("configuration not reloaded")
                    || !p.isAlive());
            assertThat(p.isAlive()).as(p.output()).isTrue();
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(p.lastStats()).containsEntry("flows_aggregated", 100L).containsEntry("reloads_failed", 1L)
                    .containsEntry("reloads", 0L);
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(gen.expected()));
            assertThat(in).doesNotExist();
            assertThat(p.output()).contains("stats.influx.url").doesNotContain("s3cret");
        }
    }

    @Test
    void startingWithAUrlTheClientRefusesExitsTwoWithoutTheCredential() throws Exception {
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, BAD_INFLUX);
        DaemonProcess.Result r = DaemonProcess.run(dir, "run", "--config", cfg.toString(),
                "-i", dir.resolve("in.sock").toString(), "-o", "");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("stats.influx.url", "http://***@127.0.0.1:99999").doesNotContain("s3cret");
        assertThat(dir.resolve("in.sock")).doesNotExist();
    }
}

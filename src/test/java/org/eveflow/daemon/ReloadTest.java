package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Overrides;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGHUP's reload, in process: what changes at once, what waits for a restart, nothing lost. */
class ReloadTest {
    @TempDir
    Path dir;

    private Config config(String types, String flushtime, int maxKeys) throws Exception {
        Path f = dir.resolve("reload.yaml");
        Files.writeString(f, "input:\n  socket: " + dir.resolve("in.sock") + "\n"
                + "aggregate:\n  flushtime: " + flushtime + "\n  max-keys: " + maxKeys + "\n"
                + "outputs:\n  default:\n    socket: " + dir.resolve("out.sock") + "\n    types: [" + types + "]\n"
                + "stats:\n  interval: 250ms\n  measurement: reloaded\n");
        return ConfigLoader.load(f, Overrides.none());
    }

    @Test
    void typesAndFlushIntervalChangeAtOnceLimitsWaitForARestartAndNoLineIsLost() throws Exception {
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "outputs:\n  default:\n    socket: " + dir.resolve("out.sock")
                    + "\n    types: [alert]\n", TestDaemon.flags("1h"));
            try {
                FlowGen gen = new FlowGen(50, 1);
                try (EveWriter w = new EveWriter(d.in)) {
                    w.line("{\"event_type\":\"alert\",\"n\":1}").line("{\"event_type\":\"dns\",\"n\":1}");
                    for (int i = 0; i < 1000; i++) {
                        w.line(gen.next());
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().linesReceived() == 1002);

                int running = d.daemon().config().aggregate().maxKeys();
                d.daemon().reload(config("alert, dns", "200ms", 5));
                Config now = d.daemon().config();
                assertThat(now.aggregate().flushtime()).isEqualTo(Duration.ofMillis(200));
                assertThat(now.aggregate().maxKeys()).as("a limit waits for a restart").isEqualTo(running);
                assertThat(now.outputs().get(0).types()).containsExactlyInAnyOrder("alert", "dns");
                assertThat(now.input().socket()).isEqualTo(d.in);
                assertThat(now.stats().interval()).isEqualTo(Duration.ofMillis(250));
                assertThat(now.stats().measurement()).isEqualTo("reloaded");

                try (EveWriter w = new EveWriter(d.in)) {
                    w.line("{\"event_type\":\"alert\",\"n\":2}").line("{\"event_type\":\"dns\",\"n\":2}");
                }
                // the window kept across the reload ends 200 ms later, not at the old 1 h: aggregates arrive unstopped
                await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(gen.expected()));
                assertThat(sink.lines().stream().filter(l -> !Aggregates.isAggregate(l)).toList()).containsExactly(
                        "{\"event_type\":\"alert\",\"n\":1}", "{\"event_type\":\"alert\",\"n\":2}",
                        "{\"event_type\":\"dns\",\"n\":2}");
            } finally {
                d.stop();
            }
        }
    }
}

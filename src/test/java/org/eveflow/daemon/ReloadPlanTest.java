package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Overrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReloadPlan}: what a reload takes, what it leaves for a restart, and what it reschedules. */
class ReloadPlanTest {
    @TempDir
    Path dir;

    private Config load(String yaml) throws Exception {
        Path f = Files.writeString(dir.resolve("c" + System.nanoTime() + ".yaml"), yaml);
        return JvmFit.ofThisJvm(ConfigLoader.load(f, Overrides.none())).config(); // as a reload fits it
    }

    private static final String RUNNING = "aggregate:\n  flushtime: 1m\n  max-keys: 1000\n"
            + "outputs:\n  siem:\n    socket: /run/a.sock\n    types: [alert]\n"
            + "  loader:\n    socket: /run/b.sock\n    types: []\n    aggregates: true\n";

    @Test
    void theSameConfigurationChangesNothing() throws Exception {
        Config running = load(RUNNING);
        ReloadPlan plan = ReloadPlan.of(running, load(RUNNING));
        assertThat(plan.restartNeeded()).isEmpty();
        assertThat(plan.flushtimeChanged()).isFalse();
        assertThat(plan.statsIntervalChanged()).isFalse();
        assertThat(plan.statsTargetChanged()).isFalse();
        assertThat(plan.effective()).isEqualTo(running);
    }

    /** The scrape endpoint keeps its address until a restart: a reload names it and changes nothing. */
    @Test
    void aNewPrometheusAddressWaitsForARestart() throws Exception {
        Config running = load(RUNNING + "stats:\n  prometheus:\n    listen: 127.0.0.1:9917\n");
        ReloadPlan plan = ReloadPlan.of(running, load(RUNNING + "stats:\n  prometheus:\n    listen: 127.0.0.1:9918\n"));
        assertThat(plan.restartNeeded()).containsExactly("stats.prometheus.listen");
        assertThat(plan.effective().stats().prometheus()).isEqualTo(running.stats().prometheus());
        assertThat(ReloadPlan.of(running, load(RUNNING)).restartNeeded()).containsExactly("stats.prometheus.listen");
    }

    @Test
    void reloadableKeysAreTakenAndTheOthersNamedAndKept() throws Exception {
        Config running = load(RUNNING);
        Config next = load("aggregate:\n  flushtime: 30s\n  max-keys: 2000\n"
                + "outputs:\n  siem:\n    socket: /run/other.sock\n    types: [alert, dns]\n"
                + "  dnslog:\n    socket: /run/c.sock\n    types: [dns]\n"
                + "stats:\n  interval: 5s\n  tags: {site: lab}\n"
                + "input:\n  max-connections: 8\n");
        ReloadPlan plan = ReloadPlan.of(running, next);
        assertThat(plan.restartNeeded()).containsExactly("outputs.siem.socket", "outputs.loader (removed)",
                "outputs.dnslog (added)", "input.max-connections", "aggregate.max-keys",
                "aggregate.src-ports-total"); // auto: 2 x max-keys
        assertThat(plan.flushtimeChanged()).isTrue();
        assertThat(plan.statsIntervalChanged()).isTrue();
        assertThat(plan.statsTargetChanged()).isTrue(); // the tags changed
        Config e = plan.effective();
        assertThat(e.aggregate().flushtime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(e.aggregate().maxKeys()).isEqualTo(1000);
        assertThat(e.input()).isEqualTo(running.input());
        assertThat(e.outputs()).hasSize(2);
        Config.Output siem = e.outputs().get(0);
        assertThat(siem.socket()).isEqualTo(Path.of("/run/a.sock"));
        assertThat(siem.types()).isEqualTo(Set.of("alert", "dns"));
        assertThat(e.outputs().get(1)).isEqualTo(running.outputs().get(1)); // removed: runs on until a restart
        assertThat(e.stats().interval()).isEqualTo(Duration.ofSeconds(5));
    }
}

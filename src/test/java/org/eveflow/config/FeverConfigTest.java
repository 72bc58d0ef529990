package org.eveflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FEVER's fever.yaml read as a dialect: what maps, what is refused, what is only noted. */
class FeverConfigTest {
    @TempDir
    Path dir;

    static final String FEVER_YAML = """
            input:
              socket: /tmp/fever-in.sock
              buffer: 500000
              buffer-drop: true
            flushtime: 30s
            reconnect-retries: 5
            multi-forward:
              socketalerts:
                socket: /tmp/fever-alerts.sock
                all: false
                buffer-length: 1000
                types:
                  - alert
                  - stats
              everything:
                socket: /tmp/fever-all.sock
                all: true
            add-fields:
              sensor-id: "sensor \\"7\\""
              site: Zürich
            logging:
              file:
              json: false
            database:
              enable: false
              host: localhost
            pdns:
              enable: false
            flowreport:
              interval: 0
            metrics:
              enable: false
            mgmt:
              socket: /tmp/fever-mgmt.sock
            toolname: fever
            """;

    private Config load(String yaml) throws Exception {
        Path f = dir.resolve("fever.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, Overrides.none());
    }

    @Test
    void feversKeysMapOntoEveflows() throws Exception {
        Config c = load(FEVER_YAML);
        assertThat(c.input().socket()).isEqualTo(Path.of("/tmp/fever-in.sock"));
        assertThat(c.aggregate().flushtime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.outputs()).hasSize(2);
        Config.Output alerts = c.outputs().get(0);
        assertThat(alerts.name()).isEqualTo("socketalerts");
        assertThat(alerts.socket()).isEqualTo(Path.of("/tmp/fever-alerts.sock"));
        assertThat(alerts.types()).containsExactlyInAnyOrder("alert", "stats");
        assertThat(alerts.all()).isFalse();
        assertThat(alerts.bufferLines()).isEqualTo(1000);
        assertThat(alerts.reconnectRetries()).isEqualTo(5);
        assertThat(c.outputs().get(1).all()).isTrue();
        assertThat(c.outputs().get(1).reconnectRetries()).isEqualTo(5);
        assertThat(c.addFields()).containsExactly(java.util.Map.entry("sensor-id", "sensor \"7\""),
                java.util.Map.entry("site", "Zürich"));
        assertThat(c.log()).isEqualTo(new Config.Log(null, false));
        assertThat(c.stats().measurement()).isEqualTo("fever");
        assertThat(c.stats().feverFormat()).isTrue();
        // FEVER never writes aggregates to a multi-forward socket: only with aggregates: true
        assertThat(c.outputs()).noneMatch(Config.Output::aggregates);
        assertThat(c.notes()).anyMatch(n -> n.contains("aggregates are written nowhere"));
    }

    @Test
    void theShippedExampleIsRefusedNamingEverySwitchedOnFeatureAtOnce() throws Exception {
        Path shipped = Path.of("/usr/share/doc/fever/examples/fever.yaml"); // Debian's fever package (.ci/run)
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(shipped), "Debian's fever package is not installed");
        String example = Files.readString(shipped);
        assertThatThrownBy(() -> load(example)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'flowreport' (").hasMessageContaining("'metrics' (")
                .hasMessageContaining("'pdns' (");
        Config c = load(example.replace("interval: 60s", "interval: 0s")
                .replace("metrics:\n  enable: true", "metrics:\n  enable: false")
                .replace("pdns:\n  enable: true", "pdns:\n  enable: false"));
        assertThat(c.outputs()).extracting(Config.Output::name).containsExactly("socketalerts");
    }

    @Test
    void aggregatesGoToAMultiForwardOutputOnlyWhenAsked() throws Exception {
        Config c = load(FEVER_YAML.replace("    all: true\n", "    all: true\n    aggregates: true\n"));
        assertThat(c.outputs()).extracting(Config.Output::aggregates).containsExactly(false, true);
    }

    @Test
    void withMultiForwardTheSingleOutputFlagsAreIgnoredAsInFever() throws Exception {
        Path f = dir.resolve("fever.yaml");
        Files.writeString(f, FEVER_YAML);
        Config c = ConfigLoader.load(f, Overrides.none().with("--out-socket", "/tmp/other.sock").with("--fwd-event-types", java.util.List.of("dns")).with("--fwd-all-types", true));
        assertThat(c.outputs()).extracting(Config.Output::name).containsExactly("socketalerts", "everything");
        assertThat(c.outputs().get(0).types()).containsExactlyInAnyOrder("alert", "stats");
        assertThat(c.notes()).anyMatch(n -> n.contains("--out-socket, --fwd-event-types and --fwd-all-types are ignored"));
    }

    @Test
    void legacyOutputAndForwardKeysMakeTheSingleOutputWithAggregates() throws Exception {
        Config c = load("output:\n  socket: /tmp/legacy.sock\nforward:\n  types: [alert, dns]\n  all: false\n"
                + "chunksize: 50000\nflushcount: 100000\ndummy: true\nprofile: ''\n");
        assertThat(c.outputs()).hasSize(1);
        Config.Output o = c.outputs().get(0);
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/legacy.sock"));
        assertThat(o.types()).containsExactlyInAnyOrder("alert", "dns");
        assertThat(o.aggregates()).isTrue();
        for (String k : java.util.List.of("chunksize", "flushcount", "dummy", "profile")) {
            assertThat(c.notes()).anyMatch(n -> n.contains("FEVER key '" + k + "' has no effect"));
        }
        assertThat(load("output:\n  socket: ''\n").outputs()).isEmpty();
    }

    @Test
    void addFieldNamesAreLowercasedAsFeversConfigLibraryDoes() throws Exception {
        Config c = load("flushtime: 1m\nadd-fields:\n  Sensor-ID: s1\n  SITE: x\n");
        assertThat(c.addFields()).containsExactly(java.util.Map.entry("sensor-id", "s1"), java.util.Map.entry("site", "x"));
    }

    @Test
    void anEnabledSectionOfAMissingFeatureIsRefusedWithTheFeatureNamed() {
        assertThatThrownBy(() -> load(FEVER_YAML.replace("pdns:\n  enable: false", "pdns:\n  enable: true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("FEVER features switched on that eveflow lacks").hasMessageContaining("'pdns' (")
                .hasMessageContaining("passive DNS");
        assertThatThrownBy(() -> load(FEVER_YAML.replace("interval: 0", "interval: 60s")))
                .hasMessageContaining("'flowreport' (").hasMessageContaining("output socket");
        assertThatThrownBy(() -> load(FEVER_YAML.replace("metrics:\n  enable: false", "metrics:\n  enable: true")))
                .hasMessageContaining("InfluxDB");
        assertThatThrownBy(() -> load(FEVER_YAML.replace("database:\n  enable: false", "database:\n  enable: true")))
                .hasMessageContaining("database");
    }

    @Test
    void mixingBothFormatsIsRefusedAndUnknownFeverKeysAreNamed() {
        assertThatThrownBy(() -> load(FEVER_YAML + "aggregate:\n  max-keys: 5\n"))
                .hasMessageContaining("mixes FEVER's keys with eveflow's 'aggregate'");
        assertThatThrownBy(() -> load(FEVER_YAML + "no-such-key: 1\n")).hasMessageContaining("no-such-key");
    }

    @Test
    void verboseMeansDebugAndLoggingFileIsKept() throws Exception {
        Config c = load("flushtime: 1m\nverbose: true\nlogging:\n  file: /var/log/eveflow.log\n  json: true\n");
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.log()).isEqualTo(new Config.Log("/var/log/eveflow.log", true));
    }

    @Test
    void inputBufferLengthIsNotedToo() throws Exception {
        Config c = load("input:\n  socket: /tmp/x.sock\n  buffer-length: 1000\n");
        assertThat(c.notes()).anyMatch(n -> n.contains("read as FEVER's fever.yaml"))
                .anyMatch(n -> n.contains("no input queue"));
    }
}

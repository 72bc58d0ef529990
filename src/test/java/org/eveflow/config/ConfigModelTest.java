package org.eveflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration model: defaults declared once (the bundled conf/eveflow.yaml), the file and the
 * flags merged over them, messages that name the flag that set a key.
 */
class ConfigModelTest {
    /** Keys whose default is derived at load time or whose absence is a setting; every other key has a declared default. */
    private static final Set<String> UNDECLARED = Set.of("input.socket-group", "input.allowed-uids",
            "input.decode-threads", "stats.format", "stats.host", "stats.influx.org", "stats.influx.bucket",
            "stats.influx.token", "stats.influx.token-file", "stats.influx.database", "stats.influx.retention-policy",
            "stats.influx.username", "stats.influx.password", "stats.influx.password-file", "logging.file",
            "add-fields", "outputs.default.aggregates");

    @TempDir
    Path dir;

    @Test
    void everyKeyWithoutADerivedDefaultIsDeclaredInTheShippedFile() {
        List<String> missing = new ArrayList<>();
        List<String> declaredButDerived = new ArrayList<>();
        walk(ConfigFile.class, "", missing, declaredButDerived);
        assertThat(missing).as("keys of ConfigFile without a default in conf/eveflow.yaml").isEmpty();
        assertThat(declaredButDerived).as("keys listed as derived that conf/eveflow.yaml declares")
                .containsExactly("outputs.default.aggregates"); // declared for the one default output only
    }

    private static void walk(Class<?> record, String prefix, List<String> missing, List<String> derived) {
        for (RecordComponent c : record.getRecordComponents()) {
            String name = c.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class).value();
            String key = prefix + name;
            if (key.equals("outputs")) {
                walk(ConfigFile.Output.class, "outputs.default.", missing, derived);
                continue;
            }
            if (c.getType().isRecord()) {
                walk(c.getType(), key + ".", missing, derived);
                continue;
            }
            boolean declared = !ConfigDefaults.get(key).isMissingNode();
            if (UNDECLARED.contains(key)) {
                if (declared) {
                    derived.add(key);
                }
            } else if (!declared) {
                missing.add(key);
            }
        }
    }

    @Test
    void theHelpNamesTheDeclaredSocketDefaults() {
        assertThat(ConfigDefaults.inSocket()).isEqualTo("/tmp/suri.sock");
        assertThat(ConfigDefaults.outSocket()).isEqualTo("/tmp/suri-forward.sock");
        JsonNode flushtime = ConfigDefaults.get("aggregate.flushtime");
        assertThat(Durations.parse(flushtime.asText())).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aKeyWithoutAValueKeepsItsDefaultAndAnUnknownOneIsStillRefused() throws Exception {
        Config c = load("aggregate:\n  max-keys:\n  flushtime: 5s\nstats:\n", Overrides.none());
        assertThat(c.aggregate().maxKeys()).isEqualTo(HeapBudget.derivedMaxKeys(Runtime.getRuntime().maxMemory()));
        assertThat(c.aggregate().flushtime()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> load("aggregate:\n  max-kes:\n", Overrides.none()))
                .hasMessageContaining("aggregate.max-kes: unknown key");
    }

    @Test
    void theFilesOutputsReplaceTheDefaultOutputAndTakeItsPerOutputDefaults() throws Exception {
        Config c = load("outputs:\n  siem:\n    socket: /tmp/siem.sock\n    buffer-lines: 7\n", Overrides.none());
        assertThat(c.outputs()).hasSize(1);
        Config.Output siem = c.outputs().get(0);
        assertThat(siem.name()).isEqualTo("siem");
        assertThat(siem.types()).isEmpty(); // only the output named default forwards alert and stats unasked
        assertThat(siem.aggregates()).isTrue(); // the only output
        assertThat(siem.bufferLines()).isEqualTo(7);
        assertThat(siem.bufferBytes()).isEqualTo(64L << 20);
        assertThat(siem.reconnectBackoffMax()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aFlagsBadValueIsNamedByTheFlagAndTheKeyItSets() {
        assertThatThrownBy(() -> ConfigLoader.load(null, new Overrides(null, null, "1x", null, null, null)))
                .hasMessage("--flushtime (aggregate.flushtime): invalid duration '1x' (Go syntax expected, e.g. 500ms,"
                        + " 10s, 1m0s, 1h30m)");
        assertThatThrownBy(() -> ConfigLoader.load(null, new Overrides(null, null, "5ms", null, null, null)))
                .hasMessage("--flushtime (aggregate.flushtime): must be at least 10ms, got 5ms");
        assertThatThrownBy(() -> ConfigLoader.load(null, new Overrides(null, null, null, null, null, null, -2)))
                .hasMessage("--reconnect-retries (outputs.default.reconnect-retries): -2 is out of range (0 to "
                        + Integer.MAX_VALUE + ")");
        assertThatThrownBy(() -> ConfigLoader.load(null, new Overrides(null, "", null, null, null, null, null, null,
                "ftp://x"))).hasMessage("--influx-url (stats.influx.url): 'ftp://x' is not an http(s) URL");
    }

    @Test
    void aFilesBadValueIsNamedByItsKeyAndFile() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "outputs:\n  siem:\n    socket: /tmp/siem.sock\n    buffer-bytes: lots\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Overrides.none()))
                .hasMessage(f + ":4:5: outputs.siem.buffer-bytes: invalid size 'lots' (expected e.g. 1048576, 512KiB,"
                        + " 16MiB, 1GiB)");
        Files.writeString(f, "input:\n  socket-mode: [1]\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Overrides.none()))
                .hasMessage(f + ":2:3: input.socket-mode: [1] is not an octal mode like \"0660\"");
        Files.writeString(f, "shutdown-grace: {a: 1}\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, Overrides.none()))
                .hasMessage(f + ":1:1: shutdown-grace: expected a duration, got a section");
    }

    @Test
    void theVerboseAndToolnameFlagsSetTheirKeys() throws Exception {
        Config c = ConfigLoader.load(null, new Overrides(null, null, null, null, null, true, null, null, null, null,
                null, "sensor_tool"));
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.stats().measurement()).isEqualTo("sensor_tool");
        assertThat(c.stats().feverFormat()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(null, new Overrides(null, null, null, null, null, null, null, null,
                null, null, null, " "))).hasMessage("--toolname (stats.measurement): empty");
    }

    @Test
    void theWriteBufferWaterMarksAreCheckedTogether() throws Exception {
        String out = "outputs:\n  a:\n    socket: /tmp/a.sock\n";
        assertThatThrownBy(() -> load(out + "    write-buffer-low: 128KiB\n", Overrides.none()))
                .hasMessageContaining("outputs.a.write-buffer-low: 131072 is above outputs.a.write-buffer-high (65536)");
        assertThatThrownBy(() -> load(out + "    write-buffer-high: 100\n", Overrides.none()))
                .hasMessageContaining("outputs.a.write-buffer-high: 100 is out of range");
        Config c = load(out + "    write-buffer-low: 1MiB\n    write-buffer-high: 2MiB\n", Overrides.none());
        assertThat(c.outputs().get(0).writeBufferHigh()).isEqualTo(2 << 20);
    }

    private Config load(String yaml, Overrides o) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, o);
    }
}

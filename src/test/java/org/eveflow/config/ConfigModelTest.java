package org.eveflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
    @TempDir
    Path dir;

    /**
     * The shipped file shows every key: one with a default with that value, one without commented out
     * ("# key:"); and it has no key that is not declared (the output default's aggregates is the one
     * value given where the declaration derives it: with one output, what it derives).
     */
    @Test
    void theShippedFileShowsEveryDeclaredKeyWithItsDefault() throws Exception {
        String text = Files.readString(Path.of("conf/eveflow.yaml"));
        JsonNode file = ConfigLoader.YAML.readTree(text);
        List<String> wrong = new ArrayList<>();
        for (Key<?> k : Keys.ALL_KEYS) {
            JsonNode shown = at(file, k.of(ConfigDefaults.DEFAULT_OUTPUT));
            if (k.defaultYaml() != null) {
                if (!k.defaultNode().equals(shown)) {
                    wrong.add(k.name() + ": declared " + k.defaultYaml() + ", shipped " + shown);
                }
            } else if (!shown.isMissingNode() && !k.name().equals("outputs.*.aggregates")) {
                wrong.add(k.name() + ": has no default but the file gives " + shown);
            } else if (shown.isMissingNode() && !text.matches("(?s).*#\\s*(or )?" + k.leaf() + ":.*")) {
                wrong.add(k.name() + ": not shown, not even commented out");
            }
        }
        leaves(file, "", wrong);
        assertThat(wrong).isEmpty();
    }

    private static JsonNode at(JsonNode root, String dotted) {
        JsonNode n = root;
        for (String part : dotted.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    /** Adds to {@code wrong} each value of the file no key declares. */
    private static void leaves(JsonNode n, String prefix, List<String> wrong) {
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = prefix + e.getKey();
            String declared = name.startsWith("outputs.default.") ? "outputs.*." + name.substring(16) : name;
            boolean isKey = Keys.ALL_KEYS.stream().anyMatch(k -> k.name().equals(declared));
            if (!isKey && e.getValue().isObject()) {
                leaves(e.getValue(), name + ".", wrong);
            } else if (!isKey) {
                wrong.add(name + ": in the shipped file, declared nowhere");
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
        assertThat(c.get(Keys.MAX_KEYS)).as("auto, until fitted to the JVM").isNull();
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
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none().with("--flushtime", "1x")))
                .hasMessage("--flushtime (aggregate.flushtime): invalid duration '1x' (Go syntax expected, e.g. 500ms,"
                        + " 10s, 1m0s, 1h30m)");
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none().with("--flushtime", "5ms")))
                .hasMessage("--flushtime (aggregate.flushtime): must be at least 10ms, got 5ms");
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none().with("--reconnect-retries", -2)))
                .hasMessage("--reconnect-retries (outputs.default.reconnect-retries): -2 is out of range (0 to "
                        + Integer.MAX_VALUE + ")");
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none().with("--out-socket", "").with("--influx-url", "ftp://x"))).hasMessage("--influx-url (stats.influx.url): 'ftp://x' is not an http(s) URL");
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
        Config c = ConfigLoader.load(null, Overrides.none().with("--verbose", true).with("--toolname", "sensor_tool"));
        assertThat(c.logLevel()).isEqualTo("debug");
        assertThat(c.stats().measurement()).isEqualTo("sensor_tool");
        assertThat(c.stats().feverFormat()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none().with("--toolname", " "))).hasMessage("--toolname (stats.measurement): empty");
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

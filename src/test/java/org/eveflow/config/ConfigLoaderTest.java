package org.eveflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Config load(String yaml, Overrides o) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, o);
    }

    private void assertInvalid(String yaml, String... fragments) {
        assertThatThrownBy(() -> load(yaml, Overrides.none())).isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    @Test
    void builtInDefaultsAreFeversFlags() throws Exception {
        Config c = ConfigLoader.load(null, Overrides.none());
        assertThat(c.input().socket()).isEqualTo(Path.of("/tmp/suri.sock"));
        assertThat(c.input().socketMode()).isEqualTo(0660);
        assertThat(c.input().maxLineLength()).isEqualTo(16 << 20);
        assertThat(c.aggregate().flushtime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.outputs()).hasSize(1);
        Config.Output o = c.outputs().get(0);
        assertThat(o.name()).isEqualTo("default");
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/suri-forward.sock"));
        assertThat(o.types()).isEqualTo(Set.of("alert", "stats"));
        assertThat(o.all()).isFalse();
        assertThat(o.aggregates()).isTrue();
        assertThat(c.stats().interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.logLevel()).isEqualTo("info");
    }

    @Test
    void shippedConfigFileIsValidAndEqualsTheDefaults() throws Exception {
        Config shipped = ConfigLoader.load(Path.of("conf/eveflow.yaml"), Overrides.none());
        assertThat(shipped).isEqualTo(ConfigLoader.load(null, Overrides.none()));
    }

    @Test
    void fileOverridesDefaultsAndFlagsOverrideFile() throws Exception {
        String yaml = "input:\n  socket: /tmp/a.sock\n  socket-mode: \"0600\"\naggregate:\n  flushtime: 30s\n"
                + "outputs:\n  default:\n    socket: /tmp/b.sock\n    types: [dns]\n    buffer-lines: 10\n";
        Config file = load(yaml, Overrides.none());
        assertThat(file.input().socket()).isEqualTo(Path.of("/tmp/a.sock"));
        assertThat(file.input().socketMode()).isEqualTo(0600);
        assertThat(file.aggregate().flushtime()).isEqualTo(Duration.ofSeconds(30));
        assertThat(file.outputs().get(0).types()).isEqualTo(Set.of("dns"));
        assertThat(file.outputs().get(0).bufferLines()).isEqualTo(10);

        Config flags = load(yaml, Overrides.none().with("--in-socket", "/tmp/c.sock").with("--out-socket", "/tmp/d.sock").with("--flushtime", "1m0s").with("--fwd-event-types", List.of("alert", "tls")).with("--fwd-all-types", true).with("--verbose", true));
        assertThat(flags.input().socket()).isEqualTo(Path.of("/tmp/c.sock"));
        assertThat(flags.aggregate().flushtime()).isEqualTo(Duration.ofMinutes(1));
        Config.Output o = flags.outputs().get(0);
        assertThat(o.socket()).isEqualTo(Path.of("/tmp/d.sock"));
        assertThat(o.types()).isEqualTo(Set.of("alert", "tls"));
        assertThat(o.all()).isTrue();
        assertThat(o.bufferLines()).isEqualTo(10); // the file's value stays where no flag says otherwise
        assertThat(flags.logLevel()).isEqualTo("debug");
    }

    @Test
    void emptyOutSocketFlagRemovesTheDefaultOutput() throws Exception {
        Config c = ConfigLoader.load(null, Overrides.none().with("--out-socket", ""));
        assertThat(c.outputs()).isEmpty();
    }

    @Test
    void namedOutputsFromTheFile() throws Exception {
        Config c = load("outputs:\n  siem:\n    socket: /tmp/siem.sock\n    types: [alert]\n    aggregates: false\n"
                + "  loader:\n    socket: /tmp/loader.sock\n    all: true\n", Overrides.none());
        assertThat(c.outputs()).extracting(Config.Output::name).containsExactly("siem", "loader");
        assertThat(c.outputs().get(0).aggregates()).isFalse();
        assertThat(c.outputs().get(0).forwards("alert")).isTrue();
        assertThat(c.outputs().get(0).forwards("dns")).isFalse();
        assertThat(c.outputs().get(1).forwards("dns")).isTrue();
        assertThat(c.outputs().get(1).types()).isEmpty();
    }

    @Test
    void atMost64OutputsAreOn() throws Exception {
        StringBuilder yaml = new StringBuilder("outputs:\n");
        for (int i = 0; i < 65; i++) {
            yaml.append("  o").append(i).append(":\n    socket: /tmp/o").append(i).append(".sock\n");
        }
        assertThatThrownBy(() -> load(yaml.toString(), Overrides.none())).isInstanceOf(ConfigException.class)
                .hasMessageEndingWith("c.yaml:1:1: outputs: at most 64 outputs are on, got 65");
        yaml.append("  off:\n    socket: ''\n"); // switched off, not counted
        assertThat(load(yaml.toString().replace("  o0:\n    socket: /tmp/o0.sock\n", ""), Overrides.none())
                .outputs()).hasSize(64);
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        assertThat(load("", Overrides.none())).isEqualTo(ConfigLoader.load(null, Overrides.none()));
    }

    @Test
    void unknownKeyIsNamedWithItsPath() {
        assertInvalid("input:\n  sockt: /tmp/x.sock\n", "input.sockt: unknown key", "socket");
        assertInvalid("flushtim: 1m\n", "flushtim: unknown key");
        assertInvalid("outputs:\n  default:\n    socket: /tmp/x.sock\n    typez: [alert]\n",
                "outputs.default.typez: unknown key");
    }

    @Test
    void badValuesNameTheKey() {
        assertInvalid("aggregate:\n  flushtime: 1x\n", "aggregate.flushtime", "invalid duration '1x'");
        assertInvalid("aggregate:\n  flushtime: 60\n", "aggregate.flushtime");
        assertInvalid("aggregate:\n  max-keys: -5\n", "aggregate.max-keys", "out of range");
        assertInvalid("aggregate:\n  max-keys: lots\n", "aggregate.max-keys");
        assertInvalid("input:\n  max-line-length: -1\n", "input.max-line-length", "invalid size");
        assertInvalid("input:\n  max-line-length: 10\n", "input.max-line-length", "out of range");
        assertInvalid("outputs:\n  default:\n    socket: /tmp/x.sock\n    buffer-bytes: -64MiB\n",
                "outputs.default.buffer-bytes");
        assertInvalid("input:\n  socket-mode: \"0999\"\n", "input.socket-mode");
        assertInvalid("input:\n  transport: kqueue\n", "input.transport");
        assertInvalid("logging:\n  level: loud\n", "logging.level");
        assertInvalid("stats:\n  interval: 0\n", "stats.interval");
        assertInvalid("outputs:\n  default:\n    types: [alert]\n", "outputs.default.socket: missing");
        assertInvalid("outputs:\n  a:\n    socket: /tmp/x.sock\n  b:\n    socket: /tmp/x.sock\n", "outputs.b.socket");
        assertInvalid("input:\n  socket: /tmp/x.sock\noutputs:\n  a:\n    socket: /tmp/x.sock\n", "same path");
        assertInvalid("input:\n  socket: /tmp/" + "x".repeat(120) + ".sock\n", "too long");
        assertInvalid("input: \"abc\n", "not valid YAML");
        assertInvalid("input:\n  socket: /tmp/a.sock\n---\ninput:\n  socket: /tmp/b.sock\n",
                "c.yaml:4:1: a second YAML document (after '---')", "merge the two");
        assertInvalid("input:\n  socket-group: no-such-group-here\n", "input.socket-group", "no group named");
        assertInvalid("input:\n  allowed-uids: [0, -3]\n", "input.allowed-uids");
        assertInvalid("input:\n  allowed-uids: [0]\n  transport: nio\n", "input.allowed-uids", "epoll");
        assertInvalid("aggregate:\n  key: [src_ip, dest_ip]\n", "aggregate.key", "must contain");
        assertInvalid("aggregate:\n  key: [src_ip, dest_ip, dest_port, app_proto]\n", "aggregate.key", "app_proto");
        assertInvalid("aggregate:\n  key: [src_ip, dest_ip, dest_port, proto, proto]\n", "aggregate.key");
        assertInvalid("add-fields:\n  \"\": x\n", "add-fields");
    }

    @Test
    void socketGroupAndAllowedUids() throws Exception {
        Config c = load("input:\n  socket-group: root\n  allowed-uids: [107, 0, 107]\n", Overrides.none());
        assertThat(c.input().socketGroup()).isEqualTo("root");
        assertThat(c.input().allowedUids()).containsExactly(0, 107);
        Config d = load("", Overrides.none());
        assertThat(d.input().socketGroup()).isNull();
        assertThat(d.input().allowedUids()).isEmpty();
    }

    @Test
    void badFlagValuesNameTheFlag() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none().with("--flushtime", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--flushtime");
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none().with("--fwd-event-types", List.of("al ert"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("outputs.default.types");
    }

    @Test
    void unreadableFileIsAClearError() {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Overrides.none())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file").hasMessageContaining("missing.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(dir, Overrides.none())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read config file");
    }

    @Test
    void influxSettingsAreValidatedAndSecretsNeverShow() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "tok-from-file\n");
        Config v2 = load("stats:\n  influx:\n    url: http://127.0.0.1:8086/\n    org: o\n    bucket: b\n"
                + "    token-file: " + token + "\n", Overrides.none());
        assertThat(v2.stats().influx().api()).isEqualTo(Config.InfluxApi.V2);
        assertThat(v2.stats().influx().url()).isEqualTo("http://127.0.0.1:8086");
        assertThat(v2.stats().influx().token().reveal()).isEqualTo("tok-from-file");
        assertThat(v2.toString()).doesNotContain("tok-from-file");
        Config v1 = load("stats:\n  tags:\n    site: dmz\n  influx:\n    url: http://h:8086\n    api: v1\n"
                + "    database: d\n    username: u\n    password: pw-inline-42\n", Overrides.none());
        assertThat(v1.stats().tags()).containsEntry("site", "dmz");
        assertThat(v1.toString()).doesNotContain("pw-inline-42");

        assertInvalid("stats:\n  influx:\n    url: http://h\n    org: o\n", "api v2 needs org and bucket");
        assertInvalid("stats:\n  influx:\n    url: http://h\n    api: v1\n", "api v1 needs database");
        assertInvalid("stats:\n  influx:\n    url: http://h\n    api: v3\n", "stats.influx.api");
        assertInvalid("stats:\n  influx:\n    url: ftp://h\n", "stats.influx.url");
        assertInvalid("stats:\n  influx:\n    url: http://h\n    api: v1\n    database: d\n    username: u\n",
                "both username and password");
        assertInvalid("stats:\n  influx:\n    url: http://h\n    org: o\n    bucket: b\n    token: t\n"
                + "    token-file: /x\n", "stats.influx.token: give one of stats.influx.token and stats.influx.token-file, not both");
        assertInvalid("stats:\n  influx:\n    url: http://h\n    org: o\n    bucket: b\n    token-file: "
                + dir.resolve("missing") + "\n", "stats.influx.token-file: cannot read");
        assertInvalid("stats:\n  tags:\n    host: x\n", "stats.tags.host");
        assertInvalid("stats:\n  influx:\n    url: http://h\n    api: v1\n    database: d\n    username: u\n"
                + "    password: secret-value-7\n    token: zzz\n", "api v1 takes");
        assertThatThrownBy(() -> load("stats:\n  influx:\n    url: http://h\n    org: o\n    bucket: b\n"
                + "    token: tok-9\n    token-file: /nonexistent\n", Overrides.none()))
                .hasMessageNotContaining("tok-9");
    }

    @Test
    void statsFlagsOverrideTheFile() throws Exception {
        Config c = load("stats:\n  interval: 30s\n  influx:\n    url: http://a:8086\n    api: v1\n    database: d\n",
                Overrides.none().with("--stats-interval", "5s").with("--influx-url", "http://b:8086"));
        assertThat(c.stats().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.stats().influx().url()).isEqualTo("http://b:8086");
        assertThat(c.stats().influx().database()).isEqualTo("d");
        Config off = load("stats:\n  influx:\n    url: http://a:8086\n    api: v1\n    database: d\n",
                Overrides.none().with("--influx-url", ""));
        assertThat(off.stats().influx()).isNull();
    }

    @Test
    void anUnquotedModeIsTheNumberYamlReadsAndModesOpenToEveryoneNeedAChoice() throws Exception {
        // YAML 1.1 reads 0660 as octal, the integer 432: that is mode 0660, not "432" read as octal
        assertThat(load("input:\n  socket-mode: 0660\n", Overrides.none()).input().socketMode()).isEqualTo(0660);
        assertThat(load("input:\n  socket-mode: \"0640\"\n", Overrides.none()).input().socketMode()).isEqualTo(0640);
        assertThat(load("input:\n  socket-mode: \"600\"\n", Overrides.none()).input().socketMode()).isEqualTo(0600);
        assertInvalid("input:\n  socket-mode: 660\n", "input.socket-mode: 660 is not a file mode", "\"0660\"");
        assertInvalid("input:\n  socket-mode: \"0666\"\n", "input.socket-mode: 0666 lets every local user connect",
                "allow-other-users");
        assertInvalid("input:\n  socket-mode: 0666\n", "0666 lets every local user connect");
        Config open = load("input:\n  socket-mode: \"0666\"\n  allow-other-users: true\n", Overrides.none());
        assertThat(open.input().openToOtherUsers()).isTrue();
        Config narrowed = load("input:\n  socket-mode: \"0666\"\n  allowed-uids: [0]\n", Overrides.none());
        assertThat(narrowed.input().openToOtherUsers()).isFalse();
    }

    @Test
    void duplicateKeysAreAnErrorWithTheirPlace() {
        assertInvalid("input:\n  socket: /tmp/a.sock\naggregate:\n  flushtime: 5s\ninput:\n  max-connections: 8\n",
                "c.yaml:5:1: duplicate key 'input'");
        assertInvalid("outputs:\n  a:\n    socket: /tmp/x.sock\n    socket: /tmp/y.sock\n", "c.yaml:4:5: duplicate key 'outputs.a.socket'");
    }

    @Test
    void yamlErrorsSayLineColumnAndWhatWasExpectedButNoFileContent() {
        assertInvalid("input:\n  socket: [/tmp/a.sock\n  max-connections: 4\n", "c.yaml:3:18: not valid YAML",
                "not closed with ']'");
        assertThatThrownBy(() -> load("stats:\n  influx:\n    token: s3cr3t-t0ken [\n  x: {\n", Overrides.none()))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("s3cr3t-t0ken");
    }

    @Test
    void aFileThatIsNotAConfigurationIsNeverEchoed() throws Exception {
        Path shadow = dir.resolve("shadow");
        Files.writeString(shadow, "root:$y$j9T$Zq1.hashhashhash/abc$xyzXYZ0123456789:19000:0:99999:7:::\n"
                + "daemon:*:19000:0:99999:7:::\n");
        assertThatThrownBy(() -> ConfigLoader.load(shadow, Overrides.none())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not an eveflow or FEVER configuration file")
                .hasMessageNotContaining("hashhash").hasMessageNotContaining("root");
        Path token = dir.resolve("token");
        Files.writeString(token, "eyJhbGciOiJIUzI1NiJ9.s3cr3t-token-value\n");
        assertThatThrownBy(() -> ConfigLoader.load(token, Overrides.none())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a YAML mapping").hasMessageNotContaining("s3cr3t");
    }

    @Test
    void urlsArePrintedWithoutCredentials() throws Exception {
        Config c = load("stats:\n  influx:\n    url: http://admin:pa55w0rd@127.0.0.1:8086/?token=t0k3n&db=x&u=me&p=pw2\n"
                + "    api: v1\n    database: x\n", Overrides.none());
        String shown = c.stats().influx().describe();
        assertThat(shown).contains("http://***@127.0.0.1:8086/?token=***&db=x&u=***&p=***")
                .doesNotContain("pa55w0rd").doesNotContain("t0k3n").doesNotContain("pw2");
    }

    @Test
    void anEmptyUidListIsAnErrorNotAnOpenDoor() {
        assertInvalid("input:\n  allowed-uids: []\n", "input.allowed-uids: an empty list");
    }

    @Test
    void aReloadWithAnEmptyFileIsRefused() throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "\n# nothing yet\n");
        assertThat(ConfigLoader.load(f, Overrides.none())).isEqualTo(ConfigLoader.load(null, Overrides.none()));
        assertThatThrownBy(() -> ConfigLoader.load(f, Overrides.none(), true, c -> { })).isInstanceOf(ConfigException.class)
                .hasMessageContaining("the file is empty; reload refused");
    }
}

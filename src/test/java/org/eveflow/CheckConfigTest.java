package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** check-config shows what an operator must see: a socket any local user may write to, redacted URLs. */
class CheckConfigTest {
    @TempDir
    Path dir;

    private String checkConfig(String yaml) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        return stdout("check-config", "--config", f.toString());
    }

    /** What eveflow with {@code args} printed on stdout; it must exit 0. */
    private static String stdout(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(args)).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The package's launcher names its installed configuration (a system property): without --config
     * that file is read where it exists; the source tree's jar (no property), or a missing file, gives
     * the built-in defaults; --config always wins.
     */
    @Test
    void theInstalledConfigurationIsReadWithoutConfig() throws Exception {
        Path installed = dir.resolve("installed.yaml");
        Files.writeString(installed, "input:\n  socket: " + dir.resolve("installed.sock") + "\n");
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, "input:\n  socket: " + dir.resolve("other.sock") + "\n");
        try {
            assertThat(stdout("check-config")).contains("configuration OK (built-in defaults, no file)", "/tmp/suri.sock");
            System.setProperty(Main.INSTALLED_CONFIG, installed.toString());
            assertThat(stdout("check-config")).contains("configuration OK: " + installed, "installed.sock");
            assertThat(stdout("check-config", "--config", other.toString())).contains("configuration OK: " + other, "other.sock");
            Files.delete(installed);
            assertThat(stdout("check-config")).contains("configuration OK (built-in defaults, no file)", "/tmp/suri.sock");
        } finally {
            System.clearProperty(Main.INSTALLED_CONFIG);
        }
    }

    /** -V on each command prints the version, as on the top-level command (it printed nothing on run). */
    @Test
    void everyCommandPrintsTheVersionWithV() throws Exception {
        for (String[] args : new String[][] {{"-V"}, {"run", "-V"}, {"check-config", "-V"}}) {
            assertThat(stdout(args)).as(String.join(" ", args)).startsWith("eveflow ");
        }
    }

    @Test
    void thePrometheusEndpointIsShownWhereItListens() throws Exception {
        assertThat(checkConfig("")).contains("  Prometheus endpoint: off\n");
        assertThat(checkConfig("stats:\n  prometheus:\n    listen: \"[::1]:9917\"\n"))
                .contains("  Prometheus endpoint: [0:0:0:0:0:0:0:1]:9917 (/metrics, /-/healthy, /-/ready;"
                        + " Suricata's series at most 20000)\n");
    }

    @Test
    void aSocketOpenToEveryUserIsShownAsSuch() throws Exception {
        assertThat(checkConfig("input:\n  socket-mode: \"0666\"\n  allow-other-users: true\n"))
                .contains("(mode 0666: ANY local user may connect (allow-other-users)");
        assertThat(checkConfig("input:\n  socket-mode: 0660\n")).contains("(mode 0660, max line");
    }

    @Test
    void theInfluxUrlIsShownWithoutCredentials() throws Exception {
        assertThat(checkConfig("stats:\n  influx:\n    url: http://u:pw-secret@127.0.0.1:8086/?token=tok-secret\n"
                + "    api: v1\n    database: x\n"))
                .contains("http://***@127.0.0.1:8086/?token=***").doesNotContain("secret");
    }

    /** What the InfluxDB client's own URL parser refuses is an invalid configuration (exit 2), with no credential shown. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"http://admin:s3cret@127.0.0.1:99999",
        "http://admin:s3cret@[::1", "http://admin:s3cret@/", "http://admin:s3cret@h:0/",
        "ftp://admin:s3cret@host/?token=s3cret", "http//admin:s3cret@host/"})
    void aUrlTheClientRefusesExitsTwoWithoutTheCredential(String url) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "stats:\n  influx:\n    url: '" + url + "'\n    api: v1\n    database: x\n");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("check-config", "--config", f.toString())).isEqualTo(2);
            assertThat(Main.execute("check-config", "--influx-url", url)).isEqualTo(2);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stats.influx.url").doesNotContain("s3cret");
    }
}

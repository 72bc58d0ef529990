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
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("check-config", "--config", f.toString())).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
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

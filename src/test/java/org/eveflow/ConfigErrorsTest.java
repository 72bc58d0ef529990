package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of configuration error, as check-config prints it: the file, the line and column of the
 * key (or the flag), what is wrong and what is expected in plain words; no Java type, parser token or
 * secret. Exact messages: a change to one is a change an operator sees.
 */
class ConfigErrorsTest {
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    /** check-config's exit code and its line on stderr, with the file's path written as FILE. */
    private String[] checkConfig(String yaml, String... flags) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml);
        String[] args = new String[flags.length + 3];
        args[0] = "check-config";
        args[1] = "--config";
        args[2] = f.toString();
        System.arraycopy(flags, 0, args, 3, flags.length);
        PrintStream saved = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute(args);
        } finally {
            System.setErr(saved);
            System.setOut(savedOut);
        }
        String said = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("eveflow: "))
                .collect(java.util.stream.Collectors.joining("\n")); // not a test agent's lines in this JVM
        return new String[] {String.valueOf(code), said.replace(f.toString(), "FILE").replace(dir.toString(), "DIR")};
    }

    private void assertError(String yaml, String message, String... flags) throws Exception {
        String[] r = checkConfig(yaml, flags);
        assertThat(r[1]).as(yaml).isEqualTo("eveflow: invalid configuration: " + message);
        assertThat(r[0]).isEqualTo("2");
    }

    private void assertRefusedHere(String yaml, String message) throws Exception {
        String[] r = checkConfig(yaml);
        assertThat(r[1]).as(yaml).isEqualTo("eveflow: cannot start with this configuration here: " + message);
        assertThat(r[0]).isEqualTo("1");
    }

    @Test
    void syntax() throws Exception {
        assertError("outputs:\n  siem:\n    socket: /tmp/s.sock\n   types: [alert]\n",
                "FILE:4:4: not valid YAML: this line is indented differently from the keys of its section"
                        + " (which starts at line 2): the keys of one section start in the same column");
        assertError("input:\n  socket: /tmp/a.sock\n    max-connections: 4\n",
                "FILE:3:20: not valid YAML: a ':' inside a value: a key indented deeper than the key above it"
                        + " (read as part of that key's value), or a value with ': ' in it that needs quotes");
        assertError("input:\n\tsocket: /tmp/a.sock\n",
                "FILE:2:1: not valid YAML: a tab character: YAML indents with spaces only");
        assertError("stats:\n  host: \'sensor\n  interval: 5s\n",
                "FILE:2:9: not valid YAML: a quote opened here is not closed");
        assertError("input:\n  allowed-uids: [0, 107\n  max-connections: 4\n",
                "FILE:3:18: not valid YAML: a '[' list opened at line 2 is not closed with ']', or its items"
                        + " are not separated by ','");
        assertError("aggregate:\n  key:\n  - src_ip\n  -dest_ip\n",
                "FILE:4:3: not valid YAML: neither 'key: value' nor a list item ('- ' and a space) where one"
                        + " was expected");
        assertError("input:\n  socket: /tmp/a.sock\naggregate:\n  flushtime: 5s\ninput:\n  max-connections: 8\n",
                "FILE:5:1: duplicate key 'input' (each key may appear once; a second block would silently"
                        + " replace the first)");
        assertError("input:\n  socket: /tmp/a.sock\n---\ninput:\n  socket: /tmp/b.sock\n",
                "FILE:4:1: a second YAML document (after '---'): a config file is one document; merge the two"
                        + " or remove the second");
    }

    @Test
    void binding() throws Exception {
        assertError("input:\n  sockt: /tmp/x.sock\n",
                "FILE:2:3: input.sockt: unknown key (known keys here: allow-other-users, allowed-uids,"
                        + " decode-threads, idle-timeout, io-threads, max-connections, max-line-length, socket,"
                        + " socket-group, socket-mode, transport)");
        assertError("outputs:\n  siem:\n    socket: /tmp/s.sock\n  types: [alert]\n",
                "FILE:4:3: outputs.types: 'types' is read as the name of an output, whose value must be a"
                        + " section of keys, found a list: indent it under its output");
        assertError("input: [a]\n",
                "FILE:1:1: input: expected a section of keys, found a list");
        assertError("input:\n  max-connections: many\n",
                "FILE:2:3: input.max-connections: expected a whole number, found text");
        assertError("input:\n  max-connections: 3.5\n",
                "FILE:2:3: input.max-connections: expected a whole number, found a decimal number");
        assertError("logging:\n  json: maybe\n",
                "FILE:2:3: logging.json: expected true or false, found text");
        assertError("input:\n  allowed-uids: [0, root]\n",
                "FILE:2:21: input.allowed-uids[1]: expected a whole number, found text");
    }

    @Test
    void values() throws Exception {
        assertError("aggregate:\n  flushtime: 1x\n",
                "FILE:2:3: aggregate.flushtime: invalid duration '1x' (Go syntax expected, e.g. 500ms, 10s,"
                        + " 1m0s, 1h30m)");
        assertError("outputs:\n  siem:\n    socket: /tmp/s.sock\n    buffer-bytes: lots\n",
                "FILE:4:5: outputs.siem.buffer-bytes: invalid size 'lots' (expected e.g. 1048576, 512KiB,"
                        + " 16MiB, 1GiB)");
        assertError("input:\n  max-connections: 0\n",
                "FILE:2:3: input.max-connections: 0 is out of range (1 to 65536)");
        assertError("input:\n  socket-mode: 660\n",
                "FILE:2:3: input.socket-mode: 660 is not a file mode; write it as a quoted octal string like \"0660\"");
        assertError("outputs:\n  siem:\n    socket: /tmp/s.sock\n    write-buffer-low: 1MiB\n",
                "FILE:4:5: outputs.siem.write-buffer-low: 1048576 is above outputs.siem.write-buffer-high (65536)");
        assertError("outputs:\n  siem:\n    types: [alert]\n",
                "FILE:2:3: outputs.siem.socket: missing");
        assertError("stats:\n  influx:\n    url: ftp://admin:s3cret@host/?token=abc\n",
                "FILE:3:5: stats.influx.url: 'ftp://***@host/?token=***' is not an http(s) URL");
        assertError("stats:\n  influx:\n    url: http://admin:s3cret@host:99999/?token=abc\n    org: o\n    bucket: b\n",
                "FILE:3:5: stats.influx.url: 'http://***@host:99999/?token=***' is not a URL the InfluxDB"
                        + " client accepts (expected http(s)://host:port/path with a port from 1 to 65535)");
        assertError("# FEVER\nflushtime: 1x\n",
                "FILE:2:1: flushtime (aggregate.flushtime): invalid duration '1x' (Go syntax expected, e.g."
                        + " 500ms, 10s, 1m0s, 1h30m)");
    }

    @Test
    void thePrometheusEndpointListensOnAnIpAddressOnly() throws Exception {
        assertError("stats:\n  prometheus:\n    listen: localhost:9917\n",
                "FILE:3:5: stats.prometheus.listen: 'localhost:9917' is not an IP address and port (127.0.0.1:9917,"
                        + " [::1]:9917, 0.0.0.0:9917 for every interface)");
        assertError("stats:\n  prometheus:\n    listen: 999.0.0.1:9917\n",
                "FILE:3:5: stats.prometheus.listen: '999.0.0.1' is not an IPv4 address (four numbers 0-255, e.g. 127.0.0.1)");
        assertError("stats:\n  prometheus:\n    listen: \"[::g]:9917\"\n",
                "FILE:3:5: stats.prometheus.listen: '[::g]:9917' is not an IP address and port (127.0.0.1:9917,"
                        + " [::1]:9917, 0.0.0.0:9917 for every interface)");
        assertError("stats:\n  prometheus:\n    listen: 127.0.0.1:70000\n",
                "FILE:3:5: stats.prometheus.listen: port 70000 is out of range (1 to 65535)");
        assertError("", "--prometheus-listen (stats.prometheus.listen): 'eth0:9917' is not an IP address and port"
                + " (127.0.0.1:9917, [::1]:9917, 0.0.0.0:9917 for every interface)", "--prometheus-listen", "eth0:9917");
    }

    @Test
    void aFlagIsNamedByItsName() throws Exception {
        assertError("", "--flushtime (aggregate.flushtime): invalid duration 'soon' (Go syntax expected, e.g. 500ms, 10s, 1m0s, 1h30m)", "--flushtime", "soon");
    }

    @Test
    void whatRunWouldRefuseOnThisMachine() throws Exception {
        Files.writeString(dir.resolve("plain"), "x");
        assertRefusedHere("input:\n  socket: " + dir.resolve("missing/in.sock") + "\n",
                "FILE:2:3: input.socket: the directory DIR/missing does not exist; create it or choose another path");
        assertRefusedHere("input:\n  socket: " + dir.resolve("plain/in.sock") + "\n",
                "FILE:2:3: input.socket: DIR/plain is not a directory");
        assertRefusedHere("input:\n  socket: " + dir.resolve("plain") + "\n",
                "FILE:2:3: input.socket: DIR/plain exists and is not a socket; eveflow never removes it");
        assertRefusedHere("logging:\n  file: " + dir.resolve("nolog/eveflow.log") + "\n",
                "FILE:2:3: logging.file: this user (" + USER + ") cannot create DIR/nolog/eveflow.log (is its"
                        + " directory there?)");
    }
}

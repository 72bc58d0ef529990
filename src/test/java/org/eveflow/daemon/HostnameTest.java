package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * FEVER's host names, as the machine's own resolver gives them: its stats encoder's is the first IPv4
 * address of the host name named backwards (getent: files, then DNS), its profilers' is what
 * {@code hostname -f} prints. On a machine whose /etc/hosts lists the host name on 127.0.0.1 after
 * localhost the first is "localhost": FEVER's points say so too.
 */
class HostnameTest {
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return p.exitValue() == 0 ? out : "";
    }

    @Test
    void feversEncoderHostIsTheHostNamesFirstIpv4AddressNamedBackwards() throws Exception {
        String host = Hostname.local();
        String firstV4 = run("getent", "ahostsv4", host).lines().findFirst().map(l -> l.split("\\s+")[0]).orElse("");
        String expected = firstV4.isEmpty() ? host
                : run("getent", "hosts", firstV4).lines().findFirst().map(l -> l.split("\\s+")[1]).orElse(host);
        assertThat(Hostname.feverPoints()).isEqualTo(expected.replaceAll("\\.$", ""));
    }

    @Test
    void feversProfilerHostIsHostnameDashF() throws Exception {
        assertThat(Hostname.feverProfiles()).isEqualTo(run("/bin/hostname", "-f").strip());
    }
}

package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.CaptureScenario;
import org.eveflow.testing.Debian13Root;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.Suricata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package on Debian 13, in the Debian 13 root: Debian 13's lintian (2.122) reports no error
 * and no warning; dpkg installs it; the installed launcher runs on Debian 13's OpenJDK 21 and carries
 * the flows and alerts of a real Suricata 8 (also in the root) to a reader on this machine with exact
 * sums; dpkg removes and purges it, leaving nothing of it in the root.
 */
class Debian13PackageIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void root() throws Exception {
        Debian13Root.require();
    }

    @AfterAll
    static void purge() throws Exception {
        Debian13Root.run(120, "dpkg", "--purge", "eveflow");
    }

    /** The .deb, copied where the root sees it. */
    private Path deb() throws Exception {
        Path deb = dir.resolve(DebianPackageIT.deb().getFileName());
        if (!Files.exists(deb)) {
            Files.copy(DebianPackageIT.deb(), deb);
        }
        return deb;
    }

    @Test
    void lintianOfDebian13ReportsNothing() throws Exception {
        String version = Debian13Root.check("dpkg-query", "-W", "-f=${Version}", "lintian");
        assertThat(version).as("Debian 13's lintian").startsWith("2.12");
        Debian13Root.Result lintian = Debian13Root.run(300, "lintian", "--tag-display-limit", "0", deb().toString());
        System.out.println("lintian " + version + ":\n" + lintian.output());
        assertThat(lintian.output().lines().filter(l -> l.matches("^[EW]: .*")).toList()).as(lintian.output()).isEmpty();
    }

    @Test
    void theInstalledLauncherCarriesSuricata8sFlowsOnOpenJdk21() throws Exception {
        Debian13Root.check("dpkg", "-i", deb().toString());
        assertThat(Files.isRegularFile(Debian13Root.path("/usr/lib/systemd/system/eveflow.service"))).isTrue();
        assertThat(Debian13Root.check("java", "-version")).contains("version \"21");
        assertThat(Debian13Root.check("/usr/bin/eveflow", "version")).startsWith("eveflow ");

        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path pcap = dir.resolve("capture.pcap");
        CaptureScenario.write(pcap, "d13", 20, 6, 7, 1_709_294_400_000_000L, 50_000, true);
        Path cfg = Suricata.writeConfig(dir, in, SuricataIT.EDGES);
        Process eveflow = null;
        Process suricata = null;
        try (LineSink sink = new LineSink(out)) {
            eveflow = new ProcessBuilder(Debian13Root.command("/usr/bin/eveflow", "run", "-i", in.toString(), "-o",
                    out.toString(), "-f", "1h", "-t", "alert")).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("eveflow.out").toFile()).start();
            Process e = eveflow;
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(in) || !e.isAlive());
            assertThat(eveflow.isAlive()).as(Files.readString(dir.resolve("eveflow.out"))).isTrue();
            suricata = Suricata.start(Suricata.Version.SURICATA_8, dir, cfg, pcap);
            assertThat(suricata.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(suricata.exitValue()).as(Files.readString(dir.resolve("suricata.out"))).isZero();
            eveflow.destroy(); // SIGTERM through the root's launcher
            assertThat(eveflow.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("eveflow.out"));
            assertThat(eveflow.exitValue()).as(log).isZero();

            List<JsonNode> file = Suricata.fileRecords(dir);
            Map<FlowGen.Key, FlowGen.Sums> expected = Suricata.aggregate(file);
            assertThat(expected).isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(expected));
            assertThat(Aggregates.sum(sink.lines())).isEqualTo(expected);
            List<JsonNode> alerts = file.stream().filter(r -> r.path("event_type").asText().equals("alert"))
                    .collect(Collectors.toList());
            assertThat(alerts).isNotEmpty();
            assertThat(sink.lines().stream().filter(l -> !Aggregates.isAggregate(l)).map(Aggregates::parse)
                    .collect(Collectors.toList())).containsExactlyElementsOf(alerts);
            assertThat(log).contains("lines_received=" + file.size() + " ").contains("lines_malformed=0 ");
        } finally {
            if (suricata != null && suricata.isAlive()) {
                Suricata.kill(suricata);
            }
            if (eveflow != null && eveflow.isAlive()) {
                Suricata.kill(eveflow);
            }
        }

        Debian13Root.check("dpkg", "--purge", "eveflow");
        assertThat(Files.exists(Debian13Root.path("/usr/share/eveflow"))).isFalse();
        assertThat(Files.exists(Debian13Root.path("/etc/eveflow"))).isFalse();
        assertThat(Files.exists(Debian13Root.path("/usr/lib/systemd/system/eveflow.service"))).isFalse();
    }
}

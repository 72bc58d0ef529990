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
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.Suricata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eveflow against a real Suricata 7 writing EVE into its socket: the aggregates equal those computed
 * from Suricata's own file output of the same run, alerts are forwarded unchanged.
 */
class SuricataIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void suricataPresent() {
        Suricata.requireInstalled();
    }

    @Test
    void aggregatesEqualThoseComputedFromSuricatasFileOutput() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path pcap = dir.resolve("capture.pcap");
        int flowsWritten = CaptureScenario.write(pcap, 40, 12, 7, 1_709_294_400_000_000L, 50_000);
        assertThat(flowsWritten).isGreaterThan(2_000);
        Path cfg = Suricata.writeConfig(dir, in, "");
        try (LineSink sink = new LineSink(out);
             DaemonProcess eveflow = DaemonProcess.start(dir, "run", "-i", in.toString(), "-o", out.toString(),
                     "-f", "1h", "-t", "alert")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !eveflow.isAlive());
            Process suricata = Suricata.start(dir, cfg, pcap);
            assertThat(suricata.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(suricata.exitValue()).as(Files.readString(dir.resolve("suricata.out"))).isZero();

            List<JsonNode> file = Suricata.fileRecords(dir);
            long fileFlows = file.stream().filter(r -> r.path("event_type").asText().equals("flow")).count();
            assertThat(fileFlows).isGreaterThan(2_000);
            eveflow.sigterm();
            assertThat(eveflow.waitFor(60)).as(eveflow.output()).isZero();

            Map<String, Long> stats = eveflow.lastStats();
            assertThat(stats.get("lines_received")).as(eveflow.output()).isEqualTo(file.size());
            assertThat(stats.get("lines_malformed")).isZero();
            assertThat(stats.get("lines_oversized")).isZero();
            assertThat(stats.get("flows_aggregated")).isEqualTo(fileFlows);
            assertThat(stats.get("output_dropped")).isZero();

            Map<FlowGen.Key, FlowGen.Sums> expected = Suricata.aggregate(file);
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(expected));
            assertThat(Aggregates.sum(sink.lines())).isEqualTo(expected);
            assertThat(expected.keySet()).anyMatch(k -> k.srcIp().contains(":")).anyMatch(k -> k.destPort() == 0)
                    .anyMatch(k -> k.destPort() == 53).anyMatch(k -> k.destPort() == 443);

            List<JsonNode> fileAlerts = file.stream().filter(r -> r.path("event_type").asText().equals("alert"))
                    .collect(Collectors.toList());
            List<JsonNode> forwarded = sink.lines().stream().filter(l -> !Aggregates.isAggregate(l))
                    .map(Aggregates::parse).collect(Collectors.toList());
            assertThat(fileAlerts).hasSizeGreaterThan(100);
            assertThat(forwarded).containsExactlyElementsOf(fileAlerts);
        }
    }
}

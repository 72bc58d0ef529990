package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aggregate.key: FEVER's key merges QUIC (UDP/443) with TCP/443; adding proto and vlan keeps them apart. */
class AggregationKeyTest {
    @TempDir
    Path dir;

    private static String flow(String proto, int vlan, String iface) {
        return "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"flow\",\"in_iface\":\"" + iface
                + "\",\"vlan\":[" + vlan + "],\"src_ip\":\"10.0.0.1\",\"src_port\":40000,\"dest_ip\":\"192.0.2.1\","
                + "\"dest_port\":443,\"proto\":\"" + proto + "\",\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":1,"
                + "\"bytes_toserver\":100,\"bytes_toclient\":100}}";
    }

    /** flow_count by the key fields beyond FEVER's, as "proto/vlan/in_iface". */
    private Map<String, Long> run(String yaml) throws Exception {
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            TestDaemon d = TestDaemon.start(dir, yaml, TestDaemon.flags("1h"));
            try (EveWriter w = new EveWriter(d.in)) {
                for (String l : List.of(flow("TCP", 10, "eth0"), flow("TCP", 10, "eth0"), flow("TCP", 10, "eth1"),
                        flow("UDP", 10, "eth0"), flow("UDP", 10, "eth0"), flow("UDP", 20, "eth0"))) {
                    w.line(l);
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> d.counters().linesReceived() == 6);
            d.stop();
            long aggregates = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.lineCount() == aggregates);
            Map<String, Long> m = new TreeMap<>();
            for (String l : sink.lines()) {
                JsonNode n = Aggregates.parse(l);
                m.merge(n.path("proto").asText("-") + "/" + n.path("vlan").toString() + "/" + n.path("in_iface").asText("-"),
                        n.get("flow_count").asLong(), Long::sum);
            }
            return m;
        }
    }

    @Test
    void feversKeyMergesProtocols() throws Exception {
        assertThat(run("")).containsExactly(Map.entry("-//-", 6L));
    }

    @Test
    void protoAndVlanSplitTheKeyAndAppearInTheAggregates() throws Exception {
        assertThat(run("aggregate:\n  key: [src_ip, dest_ip, dest_port, proto, vlan]\n")).containsExactly(
                Map.entry("TCP/[10]/-", 3L), Map.entry("UDP/[10]/-", 2L), Map.entry("UDP/[20]/-", 1L));
    }

    @Test
    void inIfaceToo() throws Exception {
        assertThat(run("aggregate:\n  key: [src_ip, dest_ip, dest_port, in_iface]\n")).containsExactly(
                Map.entry("-//eth0", 5L), Map.entry("-//eth1", 1L));
    }
}

package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.eveflow.event.EveEvent;
import org.junit.jupiter.api.Test;

class AggregateEncoderTest {
    private final FlowWindow w = new FlowWindow();

    private int entry(String src, String dst, int port, EveEvent... flows) {
        int e = w.insert(FlowKey.hash(src, dst, port), src, dst, port, "");
        for (EveEvent f : flows) {
            w.add(e, f);
            w.listPort(e, Math.max(0, f.srcPort()));
        }
        return e;
    }

    @Test
    void encodesFeversShapePlusFlowCount() {
        int e = entry("10.0.0.1", "10.0.0.2", 443,
                new EveEvent("flow", "2026-11-28T10:00:00.123456+0000", "10.0.0.1", 51234, "10.0.0.2", 443, 5, 4, 700, 4000),
                new EveEvent("flow", "2026-11-28T10:00:01.000000+0000", "10.0.0.1", 51240, "10.0.0.2", 443, 7, 6, 800, 5000));
        byte[] line = new AggregateEncoder().encode(w, e);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(
                "{\"timestamp\":[\"2026-11-28T10:00:00.123456+0000\"],\"event_type\":\"flow\",\"src_ip\":\"10.0.0.1\","
                + "\"src_port\":[51234,51240],\"dest_ip\":\"10.0.0.2\",\"dest_port\":443,"
                + "\"flow\":{\"pkts_toserver\":12,\"pkts_toclient\":10,\"bytes_toserver\":1500,\"bytes_toclient\":9000},"
                + "\"flow_count\":2}\n");
    }

    @Test
    void oneEncoderWritesEachAggregateAsALineOfItsOwnAndBlocksOfThem() {
        int a = entry("10.0.0.1", "10.0.0.2", 443,
                new EveEvent("flow", "t1", "10.0.0.1", 1, "10.0.0.2", 443, 1, 2, 3, 4));
        int b = entry("a\"b", "10.0.0.3", 0, new EveEvent("flow", "t2", "a\"b", -1, "10.0.0.3", -1, 5, 6, 7, 8));
        AggregateEncoder encoder = new AggregateEncoder();
        String first = new String(encoder.encode(w, a), StandardCharsets.UTF_8);
        String second = new String(encoder.encode(w, b), StandardCharsets.UTF_8);
        assertThat(new String(encoder.encode(w, a), StandardCharsets.UTF_8)).isEqualTo(first)
                .isEqualTo(new String(new AggregateEncoder().encode(w, a), StandardCharsets.UTF_8))
                .startsWith("{\"timestamp\":[\"t1\"]").endsWith("\"flow_count\":1}\n");
        assertThat(second).isEqualTo(new String(new AggregateEncoder().encode(w, b), StandardCharsets.UTF_8))
                .startsWith("{\"timestamp\":[\"t2\"]").contains("\"src_ip\":\"a\\\"b\"").endsWith("}\n");
        encoder.reset();
        encoder.append(w, b);
        encoder.append(w, a);
        encoder.append(w, b);
        assertThat(new String(encoder.buffer(), 0, encoder.size(), StandardCharsets.UTF_8))
                .isEqualTo(second + first + second); // a block: the lines one after the other, nothing else
    }

    @Test
    void escapesAddressesAndKeepsPortZero() {
        int e = entry("a\"b", "c\\d", 0, new EveEvent("flow", "t", "a\"b", -1, "c\\d", -1, 1, 0, 0, 0));
        String s = new String(new AggregateEncoder().encode(w, e), StandardCharsets.UTF_8);
        assertThat(s).contains("\"src_ip\":\"a\\\"b\"", "\"dest_ip\":\"c\\\\d\"", "\"src_port\":[0]")
                .doesNotContain("dest_port");
    }

    @Test
    void nonAsciiAndControlCharactersRoundTrip() throws Exception {
        String src = "fe80::1%ä\u0001\ud83d\ude00";
        String ts = "2026-11-28T10:00:00.000000+0000 \u00e9\"";
        int e = entry(src, "\t\"x\"", 7, new EveEvent("flow", ts, src, 9, "\t\"x\"", 7, 1, 2, 3, 4));
        JsonNode n = new ObjectMapper().readTree(new AggregateEncoder().encode(w, e));
        assertThat(n.get("src_ip").asText()).isEqualTo(src);
        assertThat(n.get("dest_ip").asText()).isEqualTo("\t\"x\"");
        assertThat(n.get("timestamp").get(0).asText()).isEqualTo(ts);
        assertThat(n.get("src_port").get(0).asInt()).isEqualTo(9);
    }

    @Test
    void addFieldsFollowFlowCount() throws Exception {
        int e = entry("10.0.0.1", "10.0.0.2", 443,
                new EveEvent("flow", "2026-11-28T10:00:00.000000+0000", "10.0.0.1", 1, "10.0.0.2", 443, 1, 1, 1, 1));
        java.util.Map<String, String> f = new java.util.LinkedHashMap<>();
        f.put("sensor", "a\"b");
        f.put("src_ip", "never");
        String line = new String(new AggregateEncoder(new org.eveflow.output.AddedFields(f).forAggregates()).encode(w, e),
                StandardCharsets.UTF_8);
        assertThat(line).endsWith("\"flow_count\":1,\"sensor\":\"a\\\"b\"}\n");
        JsonNode n = new ObjectMapper().readTree(line);
        assertThat(n.get("src_ip").asText()).isEqualTo("10.0.0.1");
        assertThat(n.get("sensor").asText()).isEqualTo("a\"b");
    }
}

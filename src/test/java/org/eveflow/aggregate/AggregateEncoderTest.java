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
            w.listPort(e, Math.max(0, f.srcPort()), Integer.MAX_VALUE);
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

    /**
     * The direct path against Jackson, the judge: seeded windows of plain and unplain keys (quotes,
     * backslashes, control characters, non-ASCII, surrogate pairs and lone surrogates), no or several
     * listed ports, sums up to the saturated 2^63-1, extra key fields and add-fields of each kind; every
     * block of lines is byte for byte what Jackson writes alone.
     */
    @Test
    void directPathWritesWhatJacksonWrites() {
        String[] plain = {"10.0.0.1", "192.168.200.254", "2001:0db8:0000:0000:0000:0000:0000:0001", "", "a b~{}[]:,",
            "fe80::1%eth0", "del\u007f/"};
        String[] unplain = {"a\"b", "c\\d", "tab\there", "nl\n", "\u0000", "\u001f", "ä", "\u00ff", "\ud83d\ude00",
            "\ud800", "x\udc00y", "\u007f\u0080"};
        String[] extras = {"", ",\"proto\":\"TCP\"", ",\"in_iface\":\"ä\"", ",\"vlan\":[1,2]"};
        String[] added = {"", ",\"sensor\":\"s1\"", ",\"site\":\"Zürich\",\"x\":\"\\\"\"", ",\"emoji\":\"\ud83d\ude00\""};
        java.util.SplittableRandom r = new java.util.SplittableRandom(20261205);
        int plainEntries = 0;
        int entries = 0;
        for (int round = 0; round < 40; round++) {
            FlowWindow window = new FlowWindow();
            for (int k = 0; k < 50; k++) {
                boolean allPlain = r.nextInt(3) > 0;
                String src = allPlain || r.nextBoolean() ? pick(r, plain) : pick(r, unplain);
                String dst = allPlain || r.nextBoolean() ? pick(r, plain) + k : pick(r, unplain) + k;
                String extra = pick(r, extras);
                int port = r.nextInt(4) == 0 ? 0 : r.nextInt(65_536);
                if (window.find(FlowKey.hash(src, dst, port, extra), src, dst, port, extra) >= 0) {
                    continue;
                }
                int e = window.insert(FlowKey.hash(src, dst, port, extra), src, dst, port, extra);
                int flows = r.nextInt(4);
                for (int f = 0; f < flows; f++) {
                    long big = r.nextInt(5) == 0 ? Long.MAX_VALUE - r.nextInt(3) : r.nextLong(1_000_000);
                    String ts = r.nextInt(6) == 0 ? null : "2026-12-05T10:00:0" + r.nextInt(10) + ".000000+0000";
                    window.add(e, new EveEvent("flow", ts, src, 1, dst, port, big, r.nextInt(100), big, 0));
                }
                int ports = r.nextInt(5) == 0 ? 0 : r.nextInt(12);
                for (int p = 0; p < ports; p++) {
                    window.listPort(e, r.nextInt(3) == 0 ? 0 : r.nextInt(65_536), Integer.MAX_VALUE);
                }
                entries++;
                plainEntries += isPlain(src) && isPlain(dst) && !extra.contains("ä") ? 1 : 0;
            }
            String fields = pick(r, added);
            AggregateEncoder direct = new AggregateEncoder(fields, true);
            AggregateEncoder jackson = new AggregateEncoder(fields, false);
            for (int e = 0; e < window.size(); e++) {
                direct.append(window, e);
                jackson.append(window, e);
            }
            assertThat(new String(direct.buffer(), 0, direct.size(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(jackson.buffer(), 0, jackson.size(), StandardCharsets.UTF_8));
            assertThat(java.util.Arrays.copyOf(direct.buffer(), direct.size()))
                    .isEqualTo(java.util.Arrays.copyOf(jackson.buffer(), jackson.size()));
        }
        assertThat(plainEntries).as("plain of %d", entries).isBetween(entries / 2, entries - entries / 10);
    }

    @Test
    void anAggregateWithoutTimestampHasAnEmptyArrayOnBothPaths() {
        int e = entry("10.0.0.1", "10.0.0.2", 0, new EveEvent("flow", null, "10.0.0.1", -1, "10.0.0.2", -1, 1, 0, 0, 0));
        String direct = new String(new AggregateEncoder("", true).encode(w, e), StandardCharsets.UTF_8);
        assertThat(direct).isEqualTo("{\"timestamp\":[],\"event_type\":\"flow\",\"src_ip\":\"10.0.0.1\",\"src_port\":[0],"
                + "\"dest_ip\":\"10.0.0.2\",\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":0,\"bytes_toserver\":0,"
                + "\"bytes_toclient\":0},\"flow_count\":1}\n")
                .isEqualTo(new String(new AggregateEncoder("", false).encode(w, e), StandardCharsets.UTF_8));
    }

    private static String pick(java.util.SplittableRandom r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    private static boolean isPlain(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x80 && c != '"' && c != '\\');
    }
}

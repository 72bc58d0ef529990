package org.eveflow.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eveflow.testing.EveCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EveParserTest {
    private final EveParser parser = new EveParser();

    private EveEvent parse(String line) throws MalformedEventException {
        byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
        return parser.parse(b, 2, b.length - 4); // offset/length honoured
    }

    @Test
    void readsSuricataFlowRecord() throws Exception {
        EveEvent e = parse("{\"timestamp\":\"2024-03-01T12:00:11.500000+0000\",\"flow_id\":243887705424990,"
                + "\"event_type\":\"flow\",\"src_ip\":\"192.0.2.11\",\"src_port\":47932,\"dest_ip\":\"198.51.100.1\","
                + "\"dest_port\":80,\"proto\":\"TCP\",\"app_proto\":\"http\",\"flow\":{\"pkts_toserver\":6,"
                + "\"pkts_toclient\":4,\"bytes_toserver\":418,\"bytes_toclient\":938,\"start\":\"x\",\"age\":0,"
                + "\"state\":\"closed\",\"reason\":\"shutdown\",\"alerted\":false},\"community_id\":\"1:33rh\","
                + "\"tcp\":{\"tcp_flags\":\"1b\",\"syn\":true}}");
        assertThat(e).isEqualTo(new EveEvent("flow", "2024-03-01T12:00:11.500000+0000", "192.0.2.11", 47932,
                "198.51.100.1", 80, 6, 4, 418, 938, 0, "", "http"));
    }

    @Test
    void aFlowWithoutAFlowObjectOrWithAnotherTimestampFormIsMalformed() {
        String head = "{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\",";
        for (String bad : new String[] {"\"timestamp\":\"garbage\",\"flow\":{}}", "\"timestamp\":\"\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-04 10:00:00+0000\",\"flow\":{}}", "\"timestamp\":\"2026-12-04T10:00:00.1234567890+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-04T10:00:00.000000+00\",\"flow\":{}}",
            // the right shape, not on the calendar: Suricata never writes these
            "\"timestamp\":\"2026-12-04T10:00:00.000000+2400\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-04T10:00:00.000000+0160\",\"flow\":{}}",
            "\"timestamp\":\"2026-02-30T10:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2025-02-29T10:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-04-31T10:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-13-01T10:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-00-01T10:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-00T10:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-04T24:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-04T10:60:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-31T23:59:60.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"0000-12-04T10:00:00.000000+0000\",\"flow\":{}}",
            "\"timestamp\":\"2026-12-04T10:00:00.000000+15:00\",\"flow\":{}}"}) {
            assertThat(ScannerCheck.takes("{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\"," + bad))
                    .as("the scanner defers %s to Jackson", bad).isFalse();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(head + bad))
                    .isInstanceOf(MalformedEventException.class).hasMessageContaining("not in Suricata's form");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(head + "\"timestamp\":\"2026-12-04T10:00:00.000000+0000\"}"))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("without a 'flow' object");
        for (String good : new String[] {"2026-12-04T10:00:00.000000+0000", "2026-12-04T10:00:00+0100",
            "2026-12-04T10:00:00.5-05:30", "2026-12-04T10:00:00.123456789Z", "2024-02-29T23:59:59.999999+1400",
            "2000-02-29T00:00:00.000000-1200", "0001-01-01T00:00:00.000000+0000", "9999-12-31T23:59:59.000000+0545"}) {
            org.assertj.core.api.Assertions.assertThatCode(() -> parse(head + "\"timestamp\":\"" + good + "\",\"flow\":{}}"))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void appProtoIsAStringOrNothingAndTheLastOneWins() throws Exception {
        assertThat(parse("{\"event_type\":\"flow\",\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"src_ip\":\"a\",\"dest_ip\":\"b\","
                + "\"app_proto\":5,\"flow\":{}}").appProto()).isNull();
        assertThat(parse("{\"event_type\":\"dns\",\"app_proto\":\"dns\",\"app_proto\":\"failed\"}").appProto())
                .isEqualTo("failed");
        assertThat(parse("{\"event_type\":\"dns\",\"app_proto\":\"dns\",\"app_proto\":{\"x\":1}}").appProto())
                .isNull();
        assertThat(parse("{\"event_type\":\"dns\",\"x\":{\"app_proto\":\"dns\"}}").appProto()).isNull();
    }

    @Test
    void icmpFlowHasNoPorts() throws Exception {
        EveEvent e = parse("{\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"event_type\":\"flow\",\"src_ip\":\"2001:0db8:0001:0000:0000:0000:0000:0010\","
                + "\"dest_ip\":\"2001:0db8:0001:0000:0000:0000:0000:0001\",\"proto\":\"IPv6-ICMP\",\"icmp_type\":128,"
                + "\"icmp_code\":0,\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":1,\"bytes_toserver\":118,"
                + "\"bytes_toclient\":118}}");
        assertThat(e.srcPort()).isEqualTo(EveEvent.NO_PORT);
        assertThat(e.destPort()).isEqualTo(EveEvent.NO_PORT);
        assertThat(e.srcIp()).isEqualTo("2001:0db8:0001:0000:0000:0000:0000:0010");
        assertThat(e.bytesToServer()).isEqualTo(118);
    }

    @Test
    void alertWithNestedFlowAndUnknownFields() throws Exception {
        EveEvent e = parse("{\"timestamp\":\"t\",\"event_type\":\"alert\",\"src_ip\":\"10.0.0.1\",\"src_port\":1,"
                + "\"dest_ip\":\"10.0.0.2\",\"dest_port\":2,\"alert\":{\"signature\":\"x\\\"y\",\"metadata\":{\"a\":[1,2,{\"b\":null}]}},"
                + "\"flow\":{\"pkts_toserver\":3,\"start\":\"s\"},\"payload\":\"AAAA\"}");
        assertThat(e.eventType()).isEqualTo("alert");
        assertThat(e.pktsToServer()).isEqualTo(3);
        assertThat(e.isFlow()).isFalse();
    }

    @Test
    void nonFlowEventsNeedOnlyEventType() throws Exception {
        assertThat(parse("{\"event_type\":\"stats\",\"stats\":{\"uptime\":5}}").eventType()).isEqualTo("stats");
        assertThat(parse("  {\"event_type\":\"dns\"}  ").eventType()).isEqualTo("dns");
    }

    @Test
    void largestLongCounterIsAccepted() throws Exception {
        EveEvent e = parse("{\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\","
                + "\"flow\":{\"bytes_toserver\":9223372036854775807}}");
        assertThat(e.bytesToServer()).isEqualTo(Long.MAX_VALUE);
    }

    static List<EveCorpus.Case> corpus() {
        return EveCorpus.parserCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void corpusCaseGetsItsExpectedVerdict(EveCorpus.Case c) throws Exception {
        if (c.expect() == EveCorpus.Expect.MALFORMED) {
            assertThatThrownBy(() -> parser.parse(c.line(), 0, c.line().length))
                    .isInstanceOf(MalformedEventException.class)
                    .hasMessageContaining(c.reason());
            return;
        }
        EveEvent e = parser.parse(c.line(), 0, c.line().length);
        assertThat(e.eventType()).isEqualTo(c.eventType());
        c.fields().forEach((field, value) -> {
            Object actual = switch (field) {
                case "src_ip" -> e.srcIp();
                case "dest_ip" -> e.destIp();
                case "src_port" -> (long) e.srcPort();
                case "dest_port" -> (long) e.destPort();
                case "pkts_toserver" -> e.pktsToServer();
                default -> throw new IllegalArgumentException(field);
            };
            assertThat(actual).as(field).isEqualTo(value.isNumber() ? (Object) value.asLong() : value.asText());
        });
    }

    @Test
    void corpusHasEveryKindTheIssueNames() {
        assertThat(EveCorpus.cases()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(EveCorpus.withExpect(EveCorpus.Expect.DECODED)).hasSizeGreaterThanOrEqualTo(8);
        assertThat(EveCorpus.withExpect(EveCorpus.Expect.OVERSIZED)).hasSize(1);
    }
}

package org.eveflow.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.eveflow.testing.EveCorpus;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineMutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EveScanner}'s one guarantee: for any line it returns either null (not sure) or exactly the
 * event {@link EveParser#parse} (Jackson) returns for that line, never an event for a line Jackson
 * rejects. And it must actually take the lines Suricata writes, or it is no fast path.
 */
class EveScannerTest {
    private static final String FLOW = FlowGen.flowLine(new FlowGen.Key("10.0.0.1", "10.0.0.2", 443), 40000,
            3, 2, 300, 200, "2026-11-28T10:00:00.000000+0000");
    private final EveParser jackson = new EveParser();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static EveEvent scan(byte[] l) {
        return EveScanner.scan(l, 0, l.length);
    }

    @Test
    void readsAFlowLineAsJacksonDoes() {
        EveEvent e = scan(bytes(FLOW));
        assertThat(e).isEqualTo(new EveEvent("flow", "2026-11-28T10:00:00.000000+0000", "10.0.0.1", 40000,
                "10.0.0.2", 443, 3, 2, 300, 200, 0, "", "tls"));
        assertThat(ScannerCheck.takes(bytes(FLOW))).isTrue();
    }

    @Test
    void readsAppProtoAsJacksonDoesAndLeavesARepeatedOneToIt() {
        String base = "{\"event_type\":\"flow\",\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"src_ip\":\"a\",\"dest_ip\":\"b\",\"flow\":{},";
        assertThat(scan(bytes(base + "\"app_proto\":\"tls\"}")).appProto()).isEqualTo("tls");
        assertThat(scan(bytes(base + "\"app_proto\":[1,2]}")).appProto()).isNull();
        assertThat(scan(bytes(base + "\"app_proto\":\"tls\",\"app_proto\":\"http\"}"))).isNull();
        for (String tail : new String[] {"\"app_proto\":\"tls\"}", "\"app_proto\":null}", "\"app_proto\":true}",
            "\"app_proto\":\"tls\",\"app_proto\":\"http\"}", "\"app_proto\":\"failed\",\"x\":{}}"}) {
            assertThat(ScannerCheck.takes(bytes(base + tail)) || scan(bytes(base + tail)) == null).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event_type\":\"alert\",\"src_ip\":\"fe80::1\",\"dest_ip\":\"fe80::2\",\"alert\":{\"rev\":1,\"x\":[]}}",
        "{\"event_type\":\"stats\",\"stats\":{\"uptime\":1.5e3,\"a\":-0.25,\"b\":[1,-2,3E+2,0,{}],\"c\":null}}",
        "{\"event_type\":\"dns\",\"dns\":{\"answers\":[{\"rrname\":\"a.b\",\"ttl\":0,\"ok\":true,\"no\":false}]}}",
        "{\"event_type\":\"flow\",\"src_ip\":\"1.2.3.4\",\"dest_ip\":\"5.6.7.8\",\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"proto\":\"ICMP\",\"flow\":{}}",
        "{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\",\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"src_port\":0,\"dest_port\":65535,"
            + "\"flow\":{\"pkts_toserver\":999999999999999999,\"bytes_toclient\":0,\"x\":{\"flow\":1}}}",
        "{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\",\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"flow\":{}}",
        "{\"event_type\":\"fileinfo\",\"x\":\"~ DEL:\u007f\",\"y\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "{\"vlan\":[1,2],\"in_iface\":\"eth0\",\"proto\":\"UDP\",\"event_type\":\"x\",\"x\":\"dup\",\"x\":1}",
    })
    void takesCompactPlainLines(String line) {
        assertThat(ScannerCheck.takes(bytes(line))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // Jackson rejects these: the scanner must not take them
        "{}", "{\"event_type\":1}", "{\"event_type\":\"flow\"}", "{\"timestamp\":\"t\"}",
        "{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\",\"timestamp\":\"t\",\"flow\":{}}",
        "{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\",\"timestamp\":\"2026-12-04T10:00:00.000000+0000\"}",
        "{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\"}",
        "{\"event_type\":\"x\",\"src_port\":65536}", "{\"event_type\":\"x\",\"src_port\":-1}",
        "{\"event_type\":\"x\",\"dest_port\":080}", "{\"event_type\":\"x\",\"dest_port\":80.0}",
        "{\"event_type\":\"x\",\"dest_port\":8e1}", "{\"event_type\":\"x\",\"dest_port\":\"80\"}",
        "{\"event_type\":\"x\",\"flow\":{\"pkts_toserver\":-1}}",
        "{\"event_type\":\"x\",\"flow\":{\"bytes_toserver\":9223372036854775808}}",
        "{\"event_type\":\"x\",\"flow\":{\"pkts_toclient\":1,\"pkts_toclient\":1}}",
        "{\"event_type\":\"x\",\"flow\":[]}", "{\"event_type\":\"x\",\"flow\":{},\"flow\":{}}",
        "{\"event_type\":\"x\",\"event_type\":\"y\"}", "{\"event_type\":\"x\",\"src_ip\":null}",
        "{\"event_type\":\"x\",}", "{\"event_type\":\"x\",\"a\":[1,]}", "{\"event_type\":\"x\",\"a\":01}",
        "{\"event_type\":\"x\",\"a\":1.}", "{\"event_type\":\"x\",\"a\":.5}", "{\"event_type\":\"x\",\"a\":1e}",
        "{\"event_type\":\"x\",\"a\":-}", "{\"event_type\":\"x\",\"a\":+1}", "{\"event_type\":\"x\",\"a\":nul}",
        "{\"event_type\":\"x\",\"a\":True}", "{\"event_type\":\"x\",\"a\":1}}", "{\"event_type\":\"x\"}}",
        "{\"event_type\":\"x\",\"a\":{\"b\":1}", "{\"event_type\":\"x\",\"a\"}",
        "{\"event_type\":\"x\",\"a\":\"tab\there\"}", "{\"event_type\":\"x\",\"a\":[1}]}",
        "{\"event_type\":\"x\",\"a\":NaN}", "{\"event_type\":\"x\",\"a\":'s'}", "{\"event_type\":\"x\"}{}",
        "{\"event_type\":\"x\",\"a\":1} {\"b\":2}",
    })
    void neverTakesALineJacksonRejects(String line) {
        byte[] l = bytes(line);
        assertThatThrownBy(() -> jackson.parse(l, 0, l.length)).isInstanceOf(MalformedEventException.class);
        assertThat(scan(l)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // valid, but outside what the scanner is sure of: Jackson decides
        " {\"event_type\":\"x\"}", "{\"event_type\":\"x\"} ", "{\"event_type\":\"x\" ,\"a\":1}",
        "{ \"event_type\":\"x\"}", "{\"event_type\": \"x\"}",
        "{\"event_type\":\"x\\\"y\"}", "{\"event_type\":\"\u00e9\"}", "{\"event_type\":\"x\",\"a\":\"\\u0041\"}",
    })
    void leavesOtherValidLinesToJackson(String line) throws MalformedEventException {
        byte[] l = bytes(line);
        assertThat(jackson.parse(l, 0, l.length).eventType()).isNotNull();
        assertThat(scan(l)).isNull();
    }

    @Test
    void staysWithinJacksonsLimits() {
        String deep = "{\"event_type\":\"x\",\"a\":" + "[".repeat(31) + "]".repeat(31) + "}";
        assertThat(ScannerCheck.takes(bytes(deep))).as("depth 32 in all").isTrue();
        String deeper = "{\"event_type\":\"x\",\"a\":" + "[".repeat(32) + "]".repeat(32) + "}";
        assertThat(scan(bytes(deeper))).as("depth 33: Jackson decides").isNull();
        String longNumber = "{\"event_type\":\"x\",\"a\":" + "1".repeat(41) + "}";
        assertThat(scan(bytes(longNumber))).isNull();
        String longLine = "{\"event_type\":\"x\",\"a\":\"" + "a".repeat(EveScanner.MAX_LINE) + "\"}";
        assertThat(scan(bytes(longLine))).isNull();
        String longName = "{\"event_type\":\"x\",\"" + "n".repeat(60_000) + "\":1}";
        byte[] l = bytes(longName);
        assertThatThrownBy(() -> jackson.parse(l, 0, l.length)).isInstanceOf(MalformedEventException.class);
        assertThat(scan(l)).isNull();
    }

    @Test
    void agreesWithJacksonOnTheCorpus() {
        int taken = 0;
        for (EveCorpus.Case c : EveCorpus.parserCases()) {
            if (ScannerCheck.takes(c.line())) {
                taken++;
            }
        }
        assertThat(taken).as("the corpus's compact, plain lines (most of its decoded cases are edge cases)")
                .isEqualTo(5);
    }

    @Test
    void agreesWithJacksonOnMutatedLines() {
        SplittableRandom r = new SplittableRandom(20261129);
        byte[] flow = bytes(FLOW);
        byte[] stats = bytes("{\"event_type\":\"stats\",\"s\":{\"a\":[1,2.5,-3e2,true,null],\"b\":{}}}");
        int taken = 0;
        int rejected = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] l = r.nextBoolean() ? flow : stats;
            for (int m = 1 + r.nextInt(3); m > 0; m--) {
                l = LineMutator.mutate(r, l, flow);
            }
            if (ScannerCheck.takes(l)) {
                taken++;
            } else {
                try {
                    jackson.parse(l, 0, l.length);
                } catch (MalformedEventException e) {
                    rejected++;
                }
            }
        }
        assertThat(taken).as("mutations the scanner still took").isEqualTo(2_845); // fewer since flows need a Suricata timestamp and a flow object
        assertThat(rejected).as("mutations Jackson rejected").isEqualTo(41_262);
    }

    /**
     * Strings are skipped 8 bytes at a time: every byte value, at every offset of a 16-byte stretch of a
     * string value and of a name (so across and within 8-byte words), gets Jackson's verdict.
     */
    @Test
    void everyByteAtEveryOffsetOfAStringGetsJacksonsVerdict() {
        String filler = "abcdefghijklmnopqrstuvwx"; // 24 plain bytes
        int taken = 0;
        for (int at = 0; at < 16; at++) {
            for (int v = 0; v < 256; v++) {
                for (String template : new String[] {
                    "{\"event_type\":\"dns\",\"s\":\"" + filler + "\",\"n\":1}",
                    "{\"event_type\":\"dns\",\"" + filler + "\":1}",
                    "{\"event_type\":\"" + filler + "\"}"}) {
                    byte[] l = bytes(template);
                    int start = template.indexOf(filler);
                    l[start + 4 + at] = (byte) v;
                    if (ScannerCheck.takes(l)) {
                        taken++;
                        assertThat(v).as("byte %d at %d", v, at).isBetween(0x20, 0x7f).isNotIn((int) '"', (int) '\\');
                    }
                }
            }
        }
        assertThat(taken).as("every ASCII byte from 0x20 but '\"' and '\\', in each of three places").isEqualTo(16 * 94 * 3);
    }

    @Test
    void theParserUsesItOnlyWithoutAddedOrExtraKeyFields() throws MalformedEventException {
        byte[] l = bytes("{\"event_type\":\"flow\",\"src_ip\":\"a\",\"dest_ip\":\"b\",\"timestamp\":\"2026-12-04T10:00:00.000000+0000\",\"proto\":\"UDP\",\"flow\":{}}");
        EveParser withKey = new EveParser(WatchedFields.NONE, java.util.List.of("proto"));
        EveEvent[] out = new EveEvent[1];
        new EveLines(withKey).parseLines(l, new int[] {0}, new int[] {l.length}, 1, out, new MalformedEventException[1]);
        assertThat(out[0].keyExtra()).isEqualTo(",\"proto\":\"UDP\"").isEqualTo(withKey.parse(l, 0, l.length).keyExtra());
    }

    /** BatchParser's one pass per line: the scanner finds a sure line's end as it reads it. */
    @Test
    void scanLineReadsLineAfterLineAndFindsEachNewline() {
        byte[] b = bytes(FLOW + "\n" + FLOW + "\n");
        EveEvent[] out = new EveEvent[2];
        int first = EveScanner.scanLine(b, 0, b.length, out, 0);
        assertThat(first).isEqualTo(FLOW.length());
        int second = EveScanner.scanLine(b, first + 1, b.length, out, 1);
        assertThat(second).isEqualTo(2 * FLOW.length() + 1);
        assertThat(out).containsExactly(scan(bytes(FLOW)), scan(bytes(FLOW)));
    }

    /** Anything but a newline right after the object, or a newline past the limit, is left to the caller. */
    @Test
    void scanLineIsNotSureUnlessTheNewlineFollowsTheObjectWithinTheLimit() {
        for (String after : new String[] {"\r\n", " \n", "\t\n", "x\n", "}\n", ""}) {
            byte[] b = bytes(FLOW + after);
            EveEvent[] out = {scan(bytes(FLOW))};
            assertThat(EveScanner.scanLine(b, 0, b.length, out, 0)).as("%s", after).isEqualTo(-1);
            assertThat(out[0]).as("%s", after).isNull();
        }
        byte[] b = bytes(FLOW + "\n");
        EveEvent[] out = new EveEvent[1];
        assertThat(EveScanner.scanLine(b, 0, FLOW.length(), out, 0)).isEqualTo(-1);
        assertThat(EveScanner.scanLine(b, 0, FLOW.length() + 1, out, 0)).isEqualTo(FLOW.length());
        byte[] longest = bytes("{\"event_type\":\"x\",\"p\":\"" + "a".repeat(EveScanner.MAX_LINE - 25) + "\"}\n");
        assertThat(longest.length - 1).isEqualTo(EveScanner.MAX_LINE);
        assertThat(EveScanner.scanLine(longest, 0, longest.length, out, 0)).isEqualTo(EveScanner.MAX_LINE);
        byte[] tooLong = bytes("{\"event_type\":\"x\",\"p\":\"" + "a".repeat(EveScanner.MAX_LINE - 24) + "\"}\n");
        assertThat(EveScanner.scanLine(tooLong, 0, tooLong.length, out, 0)).isEqualTo(-1);
    }
}

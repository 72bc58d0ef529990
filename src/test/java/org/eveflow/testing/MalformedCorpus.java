package org.eveflow.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines (without line ending, none contains '\n') that must each be counted malformed, one kind
 * each, with the reason the parser must give (a fragment of it).
 */
public final class MalformedCorpus {
    /** One malformed line and a fragment of the expected reason. */
    public record Case(String name, byte[] line, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    private MalformedCorpus() {
    }

    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(s("not JSON", "garbage", "invalid JSON"));
        c.add(s("empty line", "", "not a JSON object"));
        c.add(s("only whitespace", "   \t ", "not a JSON object"));
        c.add(s("array", "[{\"event_type\":\"flow\"}]", "not a JSON object"));
        c.add(s("scalar", "42", "not a JSON object"));
        c.add(s("string", "\"flow\"", "not a JSON object"));
        c.add(s("truncated object", "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"flow\",\"src_ip\":\"10.",
                "invalid JSON"));
        c.add(s("two objects on one line", "{\"event_type\":\"alert\"}{\"event_type\":\"alert\"}", "trailing data"));
        c.add(s("glued records", "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"flow\",\"src_ip\":\"inval"
                + "{\"timestamp\":\"2026-11-28T10:00:01.000000+0000\",\"event_type\":\"alert\"}", "invalid JSON"));
        c.add(s("trailing garbage", "{\"event_type\":\"alert\"} x", "invalid JSON"));
        c.add(s("no event_type", "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"src_ip\":\"10.0.0.1\"}", "no 'event_type'"));
        c.add(s("event_type null", "{\"event_type\":null}", "'event_type' is not a string"));
        c.add(s("event_type number", "{\"event_type\":7}", "'event_type' is not a string"));
        c.add(s("duplicate event_type", "{\"event_type\":\"flow\",\"event_type\":\"alert\"}", "duplicate key"));
        c.add(s("port as string", flow("\"src_port\":\"51234\",\"dest_port\":80", "1"), "'src_port' is not an integer"));
        c.add(s("port as float", flow("\"src_port\":51234,\"dest_port\":80.5", "1"), "'dest_port' is not an integer"));
        c.add(s("port out of range", flow("\"src_port\":70000,\"dest_port\":80", "1"), "not a port number"));
        c.add(s("negative counter", flow("\"src_port\":51234,\"dest_port\":80", "-1"), "negative"));
        c.add(s("counter beyond 2^63", flow("\"src_port\":51234,\"dest_port\":80", "9223372036854775808"),
                "does not fit in a long"));
        c.add(s("counter as string", flow("\"src_port\":51234,\"dest_port\":80", "\"12\""), "is not an integer"));
        c.add(s("flow not an object", "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"flow\","
                + "\"src_ip\":\"10.0.0.1\",\"dest_ip\":\"10.0.0.2\",\"flow\":5}", "'flow' is not an object"));
        c.add(s("flow without src_ip", "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"flow\","
                + "\"dest_ip\":\"10.0.0.2\",\"dest_port\":80}", "without src_ip"));
        c.add(s("flow without timestamp", "{\"event_type\":\"flow\",\"src_ip\":\"10.0.0.1\",\"dest_ip\":\"10.0.0.2\"}",
                "without timestamp"));
        c.add(s("src_ip not a string", "{\"timestamp\":\"t\",\"event_type\":\"flow\",\"src_ip\":167772161,"
                + "\"dest_ip\":\"10.0.0.2\"}", "'src_ip' is not a string"));
        c.add(s("too deep inside a skipped field", "{\"event_type\":\"alert\",\"x\":" + "[".repeat(100)
                + "]".repeat(100) + "}", "limit exceeded"));
        c.add(s("number with 200 digits in a skipped field", "{\"event_type\":\"alert\",\"x\":" + "9".repeat(200) + "}",
                "limit exceeded"));
        byte[] nul = "{\"event_type\":\"alert\",\"x\":\"a\u0000b\"}".getBytes(StandardCharsets.UTF_8);
        c.add(new Case("NUL byte inside a string", nul, "invalid JSON"));
        byte[] badUtf8 = "{\"event_type\":\"al?rt\"}".getBytes(StandardCharsets.UTF_8);
        badUtf8[17] = (byte) 0xff;
        c.add(new Case("invalid UTF-8 in event_type", badUtf8, "invalid JSON"));
        return c;
    }

    private static String flow(String ports, String pkts) {
        return "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"flow\",\"src_ip\":\"10.0.0.1\","
                + ports + ",\"dest_ip\":\"10.0.0.2\",\"flow\":{\"pkts_toserver\":" + pkts + ",\"pkts_toclient\":1,"
                + "\"bytes_toserver\":100,\"bytes_toclient\":100}}";
    }

    private static Case s(String name, String line, String reason) {
        return new Case(name, line.getBytes(StandardCharsets.UTF_8), reason);
    }
}

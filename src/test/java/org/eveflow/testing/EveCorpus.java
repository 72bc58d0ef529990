package org.eveflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The EVE input corpus, {@code src/test/resources/eve-corpus.jsonl}: one case per line, each a line
 * of input (without line ending; none contains '\n') and its expected disposition: {@code malformed}
 * with a fragment of the reason, {@code decoded} with the event_type and optional field values, or
 * {@code oversized} (longer than the default max-line-length). A case gives its line as
 * {@code text}, {@code base64} (bytes that are not UTF-8) or {@code generate} (large lines, made here).
 */
public final class EveCorpus {
    public enum Expect { MALFORMED, DECODED, OVERSIZED }

    /** One case; {@code fields} are expected values of decoded fields (src_ip, src_port, ...). */
    public record Case(String name, byte[] line, Expect expect, String reason, String eventType,
                       Map<String, JsonNode> fields) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String ALERT_HEAD = "{\"event_type\":\"alert\",\"x\":";
    private static List<Case> cases;

    private EveCorpus() {
    }

    public static synchronized List<Case> cases() {
        if (cases == null) {
            cases = List.copyOf(load());
        }
        return cases;
    }

    /** The cases a parser can judge alone (all but the oversized ones, which are the framer's). */
    public static List<Case> parserCases() {
        return cases().stream().filter(c -> c.expect() != Expect.OVERSIZED).toList();
    }

    public static List<Case> withExpect(Expect e) {
        return cases().stream().filter(c -> c.expect() == e).toList();
    }

    private static List<Case> load() {
        ObjectMapper json = new ObjectMapper();
        List<Case> out = new ArrayList<>();
        try (InputStream in = EveCorpus.class.getResourceAsStream("/eve-corpus.jsonl");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.isBlank()) {
                    continue;
                }
                JsonNode n = json.readTree(l);
                byte[] line = n.has("text") ? n.get("text").asText().getBytes(StandardCharsets.UTF_8)
                        : n.has("base64") ? Base64.getDecoder().decode(n.get("base64").asText())
                        : generate(n.get("generate").asText());
                Map<String, JsonNode> fields = new TreeMap<>();
                for (String f : List.of("src_ip", "dest_ip", "src_port", "dest_port", "pkts_toserver")) {
                    if (n.has(f)) {
                        fields.put(f, n.get(f));
                    }
                }
                out.add(new Case(n.get("name").asText(), line,
                        Expect.valueOf(n.get("expect").asText().toUpperCase(java.util.Locale.ROOT)),
                        n.path("reason").asText(null), n.path("event_type").asText(null), fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static byte[] generate(String spec) {
        String[] p = spec.split(":");
        int n = Integer.parseInt(p[1]);
        String s = switch (p[0]) {
            case "nesting" -> ALERT_HEAD + "[".repeat(n) + "]".repeat(n) + "}";
            case "digits" -> ALERT_HEAD + "9".repeat(n) + "}";
            case "counter-digits" -> "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"flow\","
                    + "\"src_ip\":\"10.0.0.1\",\"dest_ip\":\"10.0.0.2\",\"flow\":{\"pkts_toserver\":" + "9".repeat(n) + "}}";
            case "string" -> ALERT_HEAD + "\"" + "a".repeat(n) + "\"}";
            case "length" -> ALERT_HEAD + "\"" + "a".repeat(n - ALERT_HEAD.length() - 3) + "\"}";
            default -> throw new IllegalArgumentException("unknown generator " + spec);
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eveflow.event.EveEvent;
import org.eveflow.event.EveParser;
import org.eveflow.counters.Counters;
import org.eveflow.testing.CapturingOutput;
import org.junit.jupiter.api.Test;

/** add-fields on forwarded lines: valid JSON, each field once, every other byte as received. */
class AddedFieldsTest {
    private static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("sensor", "s\"1\\x");
        FIELDS.put("site", "Zürich \u0001 \ud83d\ude00");
        FIELDS.put("host", "from-add-fields");
    }

    private final AddedFields add = new AddedFields(FIELDS);
    private final EveParser parser = new EveParser(add.watched(), List.of());
    private final CapturingOutput capture = new CapturingOutput(new Counters().newOutput("c"), Set.of("alert"));
    private final Outputs outputs = new Outputs(List.of(capture), UnpooledByteBufAllocator.DEFAULT);

    private String forward(String line) throws Exception {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        EveEvent e = parser.parse(b, 0, b.length);
        RawLineBlocks batch = outputs.newBlocks();
        batch.add(outputs.forwarding("alert"), b, 0, b.length, add.bytesFor(e.fieldsPresent()));
        batch.offer();
        return capture.lines.get(capture.lines.size() - 1);
    }

    @Test
    void fieldsAreInsertedBeforeTheClosingBraceAndTheRestIsByteIdentical() throws Exception {
        String line = "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\","
                + "\"alert\":{\"signature\":\"a \\\"b\\\" \\u00e9\"},\"n\":[1,2,{\"x\":null}]}  ";
        String out = forward(line);
        assertThat(out).endsWith("}  \n");
        String inserted = ",\"sensor\":\"s\\\"1\\\\x\",\"site\":\"Zürich \\u0001 \ud83d\ude00\",\"host\":\"from-add-fields\"";
        int close = line.lastIndexOf('}');
        assertThat(out).isEqualTo(line.substring(0, close) + inserted + line.substring(close) + "\n");
        JsonNode n = new ObjectMapper().readTree(out);
        assertThat(n.get("sensor").asText()).isEqualTo("s\"1\\x");
        assertThat(n.get("site").asText()).isEqualTo("Zürich \u0001 \ud83d\ude00");
        assertThat(n.get("alert").get("signature").asText()).isEqualTo("a \"b\" é");
    }

    @Test
    void aFieldTheEventHasKeepsTheEventsValueAndIsNotDuplicated() throws Exception {
        String out = forward("{\"event_type\":\"alert\",\"host\":\"suricata-7\"}");
        assertThat(out.split("\"host\"", -1)).hasSize(2);
        JsonNode n = new ObjectMapper().readTree(out);
        assertThat(n.get("host").asText()).isEqualTo("suricata-7");
        assertThat(n.get("sensor").asText()).isEqualTo("s\"1\\x");
        // a nested "host" is not the event's own top-level field: the added one is still added
        JsonNode nested = new ObjectMapper().readTree(forward("{\"event_type\":\"alert\",\"x\":{\"host\":\"h\"}}"));
        assertThat(nested.get("host").asText()).isEqualTo("from-add-fields");
    }

    @Test
    void aggregatesGetTheFieldsExceptTheirOwnNames() {
        Map<String, String> f = new LinkedHashMap<>(FIELDS);
        f.put("flow_count", "spoofed");
        assertThat(new AddedFields(f).forAggregates()).contains("\"sensor\"", "\"site\"", "\"host\"")
                .doesNotContain("flow_count");
        assertThat(AddedFields.NONE.bytesFor(0)).isEmpty();
    }
}

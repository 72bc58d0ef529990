package org.eveflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads aggregate lines back (those with flow_count) and sums them per key, checking the schema. */
public final class Aggregates {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("timestamp", "event_type", "src_ip", "src_port", "dest_ip",
            "dest_port", "flow", "flow_count");

    private Aggregates() {
    }

    public static boolean isAggregate(String line) {
        return line.contains("\"flow_count\":");
    }

    public static Map<FlowGen.Key, FlowGen.Sums> sum(List<String> lines) {
        Map<FlowGen.Key, FlowGen.Sums> sums = new HashMap<>();
        for (String line : lines) {
            if (!isAggregate(line)) {
                continue;
            }
            JsonNode n = parse(line);
            List<String> names = new java.util.ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            int destPort = n.path("dest_port").asInt(0);
            List<String> expected = destPort == 0 ? FIELDS.stream().filter(f -> !f.equals("dest_port")).toList() : FIELDS;
            if (!names.equals(expected)) { // FEVER's shape: dest_port omitted when 0
                throw new AssertionError("aggregate fields " + names + " != " + expected + ": " + line);
            }
            FlowGen.Key k = new FlowGen.Key(n.get("src_ip").asText(), n.get("dest_ip").asText(), destPort);
            FlowGen.Sums s = sums.computeIfAbsent(k, x -> new FlowGen.Sums());
            s.flowCount += n.get("flow_count").asLong();
            JsonNode f = n.get("flow");
            s.pktsToServer += f.get("pkts_toserver").asLong();
            s.pktsToClient += f.get("pkts_toclient").asLong();
            s.bytesToServer += f.get("bytes_toserver").asLong();
            s.bytesToClient += f.get("bytes_toclient").asLong();
            for (Iterator<JsonNode> it = n.get("src_port").elements(); it.hasNext(); ) {
                s.addPort(it.next().asInt());
            }
        }
        return sums;
    }

    public static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }
}

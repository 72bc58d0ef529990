package org.eveflow.event;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static fields added to every forwarded event and every aggregate (FEVER's {@code add-fields}), as
 * ready-made JSON bytes ({@code ,"name":"value"}, escaped) to insert before a line's closing brace, so
 * the rest of the line is never re-encoded. A field the event already has at its top level is not
 * added: the event's own value wins (the parser reports which of these names it saw, see
 * {@link #bit}). At most 31 fields. Immutable, thread-safe.
 */
public final class AddFields {
    public static final AddFields NONE = new AddFields(Map.of());
    /** Top-level names of an aggregate line: their values are eveflow's own. */
    private static final Set<String> AGGREGATE_KEYS = Set.of("timestamp", "event_type", "src_ip", "src_port",
            "dest_ip", "dest_port", "flow", "flow_count");

    private final List<String> names = new ArrayList<>();
    private final List<byte[]> encoded = new ArrayList<>();
    private final Map<String, Integer> bits = new HashMap<>();
    private final byte[] all;
    private final String forAggregates;

    public AddFields(Map<String, String> fields) {
        if (fields.size() > 31) {
            throw new IllegalArgumentException("add-fields: at most 31 fields, got " + fields.size());
        }
        StringBuilder agg = new StringBuilder();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String json = "," + EveParser.quoted(f.getKey()) + ":" + EveParser.quoted(f.getValue());
            bits.put(f.getKey(), 1 << names.size());
            names.add(f.getKey());
            encoded.add(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!AGGREGATE_KEYS.contains(f.getKey())) {
                agg.append(json);
            }
        }
        ByteArrayOutputStream allFields = new ByteArrayOutputStream();
        encoded.forEach(allFields::writeBytes);
        this.all = allFields.toByteArray();
        this.forAggregates = agg.toString();
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** This field name's bit in {@link EveEvent#fieldsPresent()}, or 0 if it is not an added field. */
    public int bit(String name) {
        Integer b = bits.get(name);
        return b == null ? 0 : b;
    }

    /** The bytes to insert into a line that already has the fields in {@code presentMask}. */
    public byte[] bytesFor(int presentMask) {
        if (presentMask == 0) {
            return all;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < encoded.size(); i++) {
            if ((presentMask & (1 << i)) == 0) {
                b.writeBytes(encoded.get(i));
            }
        }
        return b.toByteArray();
    }

    /** What an aggregate line gets (fields named like the aggregate's own keys are left out), as JSON text. */
    public String forAggregates() {
        return forAggregates;
    }
}

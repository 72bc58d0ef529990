package org.eveflow.output;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eveflow.event.EveParser;
import org.eveflow.event.WatchedFields;

/**
 * Static fields added to every forwarded event and every aggregate (FEVER's {@code add-fields}), as
 * ready-made JSON bytes ({@code ,"name":"value"}, escaped) to insert before a line's closing brace, so
 * the rest of the line is never re-encoded. A field the event already has at its top level is not
 * added: the event's own value wins (the parser notes which of these names it saw, by the bits of
 * {@link #watched()}). At most 31 fields. Immutable, thread-safe.
 */
public final class AddedFields {
    public static final AddedFields NONE = new AddedFields(Map.of());
    /** Top-level names of an aggregate line: their values are eveflow's own. */
    private static final Set<String> AGGREGATE_KEYS = Set.of("timestamp", "event_type", "src_ip", "src_port",
            "dest_ip", "dest_port", "flow", "flow_count");

    private final List<byte[]> encoded = new ArrayList<>();
    private final WatchedFields watched;
    private final byte[] all;
    private final String forAggregates;

    public AddedFields(Map<String, String> fields) {
        if (fields.size() > 31) {
            throw new IllegalArgumentException("add-fields: at most 31 fields, got " + fields.size());
        }
        StringBuilder agg = new StringBuilder();
        ByteArrayOutputStream allFields = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String json = "," + EveParser.quoted(f.getKey()) + ":" + EveParser.quoted(f.getValue());
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            encoded.add(bytes);
            allFields.writeBytes(bytes);
            if (!AGGREGATE_KEYS.contains(f.getKey())) {
                agg.append(json);
            }
        }
        this.watched = new WatchedFields(List.copyOf(fields.keySet()));
        this.all = allFields.toByteArray();
        this.forAggregates = agg.toString();
    }

    /** The names for the parser to watch; bit i is the i-th field. */
    public WatchedFields watched() {
        return watched;
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

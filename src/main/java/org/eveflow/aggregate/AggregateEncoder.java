package org.eveflow.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes one aggregate as a JSON line (with its trailing '\n') in FEVER's AggregateFlowEvent shape
 * plus {@code flow_count}: timestamp (a one-element array), event_type "flow", src_ip, src_port
 * (array), dest_ip, dest_port, flow{pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient},
 * flow_count, then the extra key fields (aggregate.key) and add-fields. ASCII key strings are written from the window's arena without making a String (Jackson
 * escapes them). Not thread-safe: one instance per flushing thread.
 */
final class AggregateEncoder {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final ByteArrayBuilder buf = new ByteArrayBuilder(512);
    private final String extraFields;
    private int[] ports = new int[16];

    AggregateEncoder() {
        this("");
    }

    /** {@code extraFields}: JSON members ({@code ,"k":"v"}...) appended after flow_count (add-fields). */
    AggregateEncoder(String extraFields) {
        this.extraFields = extraFields;
    }

    byte[] encode(FlowWindow w, int e) {
        buf.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            g.writeArrayFieldStart("timestamp");
            if (w.timestampCode(e) >= 0) {
                g.writeUTF8String(w.arena(), w.timestampOffset(e), w.timestampCode(e));
            } else if (w.timestamp(e) != null) {
                g.writeString(w.timestamp(e));
            }
            g.writeEndArray();
            g.writeStringField("event_type", "flow");
            g.writeFieldName("src_ip");
            if (w.srcCode(e) >= 0) {
                g.writeUTF8String(w.arena(), w.srcOffset(e), w.srcCode(e));
            } else {
                g.writeString(w.srcIp(e));
            }
            g.writeFieldName("src_port");
            int n = w.portCount(e);
            if (ports.length < n) {
                ports = new int[Math.max(n, 2 * ports.length)];
            }
            w.ports(e, ports);
            g.writeArray(ports, 0, n);
            g.writeFieldName("dest_ip");
            if (w.destCode(e) >= 0) {
                g.writeUTF8String(w.arena(), w.destOffset(e), w.destCode(e));
            } else {
                g.writeString(w.destIp(e));
            }
            g.writeNumberField("dest_port", w.destPort(e));
            g.writeObjectFieldStart("flow");
            g.writeNumberField("pkts_toserver", w.pktsToServer(e));
            g.writeNumberField("pkts_toclient", w.pktsToClient(e));
            g.writeNumberField("bytes_toserver", w.bytesToServer(e));
            g.writeNumberField("bytes_toclient", w.bytesToClient(e));
            g.writeEndObject();
            g.writeNumberField("flow_count", w.flowCount(e));
            if (w.hasExtra(e)) { // aggregate.key's extra fields, JSON members made by the parser
                g.writeRaw(w.extra(e));
            }
            if (!extraFields.isEmpty()) {
                g.writeRaw(extraFields);
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // in-memory target: cannot happen
        }
        buf.write('\n');
        return buf.toByteArray();
    }
}

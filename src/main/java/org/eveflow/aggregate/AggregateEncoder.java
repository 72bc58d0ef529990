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
 * flow_count. Not thread-safe: one instance per flushing thread.
 */
final class AggregateEncoder {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final ByteArrayBuilder buf = new ByteArrayBuilder(512);

    byte[] encode(FlowKey key, FlowRecord r) {
        buf.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buf)) {
            g.writeStartObject();
            g.writeArrayFieldStart("timestamp");
            if (r.timestamp != null) {
                g.writeString(r.timestamp);
            }
            g.writeEndArray();
            g.writeStringField("event_type", "flow");
            g.writeStringField("src_ip", key.srcIp());
            g.writeFieldName("src_port");
            g.writeArray(r.srcPorts, 0, r.portCount);
            g.writeStringField("dest_ip", key.destIp());
            g.writeNumberField("dest_port", key.destPort());
            g.writeObjectFieldStart("flow");
            g.writeNumberField("pkts_toserver", r.pktsToServer);
            g.writeNumberField("pkts_toclient", r.pktsToClient);
            g.writeNumberField("bytes_toserver", r.bytesToServer);
            g.writeNumberField("bytes_toclient", r.bytesToClient);
            g.writeEndObject();
            g.writeNumberField("flow_count", r.flowCount);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory target: cannot happen
        }
        buf.write('\n');
        return buf.toByteArray();
    }
}

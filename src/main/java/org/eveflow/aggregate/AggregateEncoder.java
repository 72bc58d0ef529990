package org.eveflow.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Encodes one aggregate as a JSON line (with its trailing '\n') in FEVER's AggregateFlowEvent shape
 * plus {@code flow_count}: timestamp (a one-element array), event_type "flow", src_ip, src_port
 * (array), dest_ip, dest_port (omitted when 0, as FEVER's omitempty does), flow{pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient},
 * flow_count, then the extra key fields (aggregate.key) and add-fields. ASCII key strings are written
 * from the window's arena without making a String (Jackson escapes them). One generator writes every
 * aggregate, as root values with nothing between them but the '\n' this adds, into one reused buffer
 * that holds a block of lines until the caller resets it.
 * Not thread-safe: one instance per flushing thread.
 */
final class AggregateEncoder {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    private final Buffer buf = new Buffer();
    private final String extraFields;
    private int[] ports = new int[16];
    private JsonGenerator g;

    /** A ByteArrayOutputStream whose bytes can be read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(512);
        }

        byte[] bytes() {
            return buf;
        }
    }

    AggregateEncoder() {
        this("");
    }

    /** {@code extraFields}: JSON members ({@code ,"k":"v"}...) appended after flow_count (add-fields). */
    AggregateEncoder(String extraFields) {
        this.extraFields = extraFields;
    }

    /** Entry {@code e} of {@code w} as a line of its own (a copy; the flush uses {@link #append}). */
    byte[] encode(FlowWindow w, int e) {
        reset();
        append(w, e);
        return Arrays.copyOf(buffer(), size());
    }

    /** The buffer {@link #append} writes to, valid up to {@link #size()} until the next call. */
    byte[] buffer() {
        return buf.bytes();
    }

    /** The bytes appended since the last {@link #reset()}. */
    int size() {
        return buf.size();
    }

    /** Empties the buffer (keeps its memory). */
    void reset() {
        buf.reset();
    }

    /** Appends entry {@code e} of {@code w}, as one line ending in '\n', to {@link #buffer()}. */
    void append(FlowWindow w, int e) {
        try {
            if (g == null) {
                g = FACTORY.createGenerator(buf);
            }
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
            if (w.destPort(e) != 0) {
                g.writeNumberField("dest_port", w.destPort(e)); // FEVER's omitempty: no dest_port for ICMP
            }
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
            g.writeRaw('\n');
            g.flush();
        } catch (IOException | RuntimeException ex) {
            g = null; // its state is unknown: the next aggregate gets a new one
            throw ex instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) ex; // in memory: a bug
        }
    }
}

package org.eveflow.aggregate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes one aggregate as a JSON line (with its trailing '\n') in FEVER's AggregateFlowEvent shape
 * plus {@code flow_count}: timestamp (a one-element array), event_type "flow", src_ip, src_port
 * (array), dest_ip, dest_port (omitted when 0, as FEVER's omitempty does), flow{pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient},
 * flow_count, then the extra key fields (aggregate.key) and add-fields. An aggregate whose key strings
 * and timestamp are plain (ASCII from 0x20 up, without '"' or '\\': what Suricata writes) is written
 * straight from the window's arena into the buffer; any other is written by Jackson, which escapes.
 * Both give the same bytes for a plain aggregate ({@code AggregateEncoderTest} holds them to it), so
 * Jackson is the judge and the direct path only its fast path. The lines go one after the other into
 * one reused buffer that holds a block of lines until the caller resets it.
 * Not thread-safe: one instance per flushing thread.
 */
final class AggregateEncoder {
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().rootValueSeparator((String) null).build();
    private static final byte[] TIMESTAMP = ascii("{\"timestamp\":[");
    private static final byte[] SRC_IP = ascii("],\"event_type\":\"flow\",\"src_ip\":\"");
    private static final byte[] SRC_PORT = ascii("\",\"src_port\":[");
    private static final byte[] DEST_IP = ascii("],\"dest_ip\":\"");
    private static final byte[] DEST_PORT = ascii(",\"dest_port\":");
    private static final byte[] PKTS_TOSERVER = ascii(",\"flow\":{\"pkts_toserver\":");
    private static final byte[] PKTS_TOCLIENT = ascii(",\"pkts_toclient\":");
    private static final byte[] BYTES_TOSERVER = ascii(",\"bytes_toserver\":");
    private static final byte[] BYTES_TOCLIENT = ascii(",\"bytes_toclient\":");
    private static final byte[] FLOW_COUNT = ascii("},\"flow_count\":");
    /** The most bytes a plain aggregate takes besides its strings, ports and added fields. */
    private static final int FIXED_BYTES = 512;
    private final Buffer buf = new Buffer();
    private final String extraFields;
    /** The add-fields as Jackson's writeRaw writes them, or null if only Jackson may write them. */
    private final byte[] extraFieldBytes;
    private final boolean direct;
    private int[] ports = new int[16];
    private JsonGenerator g;

    /** A ByteArrayOutputStream whose bytes can be read without a copy and written to directly. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(512);
        }

        byte[] bytes() {
            return buf;
        }

        /** Room for {@code n} more bytes. */
        void reserve(int n) {
            if (count + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(count + n, 2 * buf.length));
            }
        }

        void put(byte b) {
            buf[count++] = b;
        }

        void put(byte[] b) {
            System.arraycopy(b, 0, buf, count, b.length);
            count += b.length;
        }

        void put(byte[] b, int off, int len) {
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        /** v in decimal, as Jackson writes it (at most 20 bytes). */
        void putDecimal(long v) {
            if (v < 0) {
                put(ascii(Long.toString(v)));
                return;
            }
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) {
                digits++;
            }
            int at = count + digits;
            count = at;
            do {
                buf[--at] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
        }
    }

    AggregateEncoder() {
        this("");
    }

    /** {@code extraFields}: JSON members ({@code ,"k":"v"}...) appended after flow_count (add-fields). */
    AggregateEncoder(String extraFields) {
        this(extraFields, true);
    }

    /** As above; with {@code direct} false every aggregate is written by Jackson (the tests' judge). */
    AggregateEncoder(String extraFields, boolean direct) {
        this.extraFields = extraFields;
        boolean surrogates = extraFields.chars().anyMatch(c -> Character.isSurrogate((char) c)); // Jackson's writeRaw may refuse them
        this.extraFieldBytes = surrogates ? null : extraFields.getBytes(StandardCharsets.UTF_8);
        this.direct = direct && extraFieldBytes != null;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
        if (direct && plain(w, e)) {
            appendDirect(w, e);
        } else {
            appendWithJackson(w, e);
        }
    }

    /** Whether entry e's key strings and timestamp are all plain (see the class comment). */
    private static boolean plain(FlowWindow w, int e) {
        byte[] a = w.arena();
        return w.srcCode(e) >= 0 && plain(a, w.srcOffset(e), w.srcCode(e))
                && w.destCode(e) >= 0 && plain(a, w.destOffset(e), w.destCode(e))
                && (w.timestampCode(e) == FlowWindow.NONE
                    || w.timestampCode(e) >= 0 && plain(a, w.timestampOffset(e), w.timestampCode(e)))
                && (!w.hasExtra(e) || w.extraCode(e) >= 0);
    }

    private static boolean plain(byte[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = a[i];
            if (c < 0x20 || c == '"' || c == '\\') { // bytes >= 0x80 are negative; the arena has none for a code >= 0
                return false;
            }
        }
        return true;
    }

    private void appendDirect(FlowWindow w, int e) {
        byte[] a = w.arena();
        int n = w.portCount(e);
        int extra = w.hasExtra(e) ? w.extraCode(e) : 0;
        int ts = Math.max(0, w.timestampCode(e));
        buf.reserve(FIXED_BYTES + ts + w.srcCode(e) + w.destCode(e) + 6 * n + extra + extraFieldBytes.length);
        buf.put(TIMESTAMP);
        if (w.timestampCode(e) != FlowWindow.NONE) {
            buf.put((byte) '"');
            buf.put(a, w.timestampOffset(e), ts);
            buf.put((byte) '"');
        }
        buf.put(SRC_IP);
        buf.put(a, w.srcOffset(e), w.srcCode(e));
        buf.put(SRC_PORT);
        int[] ports = listedPorts(w, e);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                buf.put((byte) ',');
            }
            buf.putDecimal(ports[i]);
        }
        buf.put(DEST_IP);
        buf.put(a, w.destOffset(e), w.destCode(e));
        buf.put((byte) '"');
        if (w.destPort(e) != 0) {
            buf.put(DEST_PORT); // FEVER's omitempty: no dest_port for ICMP
            buf.putDecimal(w.destPort(e));
        }
        buf.put(PKTS_TOSERVER);
        buf.putDecimal(w.pktsToServer(e));
        buf.put(PKTS_TOCLIENT);
        buf.putDecimal(w.pktsToClient(e));
        buf.put(BYTES_TOSERVER);
        buf.putDecimal(w.bytesToServer(e));
        buf.put(BYTES_TOCLIENT);
        buf.putDecimal(w.bytesToClient(e));
        buf.put(FLOW_COUNT);
        buf.putDecimal(w.flowCount(e));
        if (extra > 0) {
            buf.put(a, w.extraOffset(e), extra);
        }
        buf.put(extraFieldBytes);
        buf.put((byte) '}');
        buf.put((byte) '\n');
    }

    /** Entry e's listed src ports in the first {@link FlowWindow#portCount} places of a reused array. */
    private int[] listedPorts(FlowWindow w, int e) {
        int n = w.portCount(e);
        if (ports.length < n) {
            ports = new int[Math.max(n, 2 * ports.length)];
        }
        w.ports(e, ports);
        return ports;
    }

    private void appendWithJackson(FlowWindow w, int e) {
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
            g.writeArray(listedPorts(w, e), 0, w.portCount(e));
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

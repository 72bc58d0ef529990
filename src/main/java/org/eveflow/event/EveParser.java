package org.eveflow.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.List;

/**
 * Reads one EVE line (UTF-8 bytes, no line ending) with Jackson's streaming parser, no tree. A line
 * is accepted only if it is exactly one JSON object (RFC 8259, UTF-8; blanks around it allowed, no
 * BOM) with a string {@code event_type}, and the fields eveflow reads have the right types, each at
 * most once: {@code timestamp}, {@code src_ip}, {@code dest_ip} strings; ports integers 0..65535;
 * {@code flow.pkts_*}/{@code flow.bytes_*} non-negative integers that fit a long. Fields it does not
 * read are skipped (their duplicates are not checked). Flow events also need src_ip, dest_ip and
 * timestamp. Jackson's read constraints are set here on purpose: nesting depth
 * {@value #MAX_NESTING_DEPTH}, numbers of at most {@value #MAX_NUMBER_LENGTH} characters; strings and
 * field names keep Jackson's defaults (20,000,000 and 50,000 characters; a line is at most
 * max-line-length anyway). Immutable, thread-safe (the factory is shared, each call has its own parser).
 */
public final class EveParser {
    /** Nesting deeper than this is malformed (Suricata nests about 5 levels). */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest number accepted anywhere on a line, in characters. */
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final long[] NO_COUNTERS = new long[4];
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();

    private final WatchedFields watched;
    private final List<String> keyExtras;
    private final boolean keyProto;
    private final boolean keyVlan;
    private final boolean keyIface;
    /** Whether {@link EveLines} tries {@link EveScanner} first (it reads no added or extra key fields). */
    private final boolean scanned;

    public EveParser() {
        this(WatchedFields.NONE, List.of());
    }

    /**
     * A parser that also reports which of these added-field names a record has at its top level, and
     * reads the extra key fields ({@code keyExtras}: proto, in_iface strings; vlan an array of
     * non-negative integers; a wrong type is malformed) into {@link EveEvent#keyExtra()}.
     */
    public EveParser(WatchedFields watched, List<String> keyExtras) {
        this.watched = watched;
        this.keyExtras = List.copyOf(keyExtras);
        this.keyProto = keyExtras.contains("proto");
        this.keyVlan = keyExtras.contains("vlan");
        this.keyIface = keyExtras.contains("in_iface");
        this.scanned = watched.isEmpty() && keyExtras.isEmpty();
    }

    public EveEvent parse(byte[] buf, int off, int len) throws MalformedEventException {
        int first = skipBlanks(buf, off, off + len);
        if (first == off + len || buf[first] != '{') { // also a BOM, which Jackson would skip
            throw new MalformedEventException("not a JSON object");
        }
        try (JsonParser p = FACTORY.createParser(buf, first, off + len - first)) {
            EveEvent e = readObject(p);
            if (p.nextToken() != null) {
                throw new MalformedEventException("trailing data after the JSON object");
            }
            return checked(e);
        } catch (MalformedEventException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw new MalformedEventException("limit exceeded: " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            throw new MalformedEventException("invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Whether {@link EveScanner} reads exactly what this parser reads (it reads no added or extra key fields). */
    boolean scannerAgrees() {
        return scanned;
    }

    /** A streaming parser over {@code buf[off, off + len)}, with this class's read constraints. */
    static JsonParser newParser(byte[] buf, int off, int len) throws IOException {
        return FACTORY.createParser(buf, off, len);
    }

    /** The next object of {@code p}, checked as {@link #parse} checks a line's; {@code p} is after its end. */
    EveEvent readChecked(JsonParser p) throws IOException, MalformedEventException {
        return checked(readObject(p));
    }

    /** The first index in [from, to) that is not JSON whitespace other than a newline, or {@code to}. */
    static int skipBlanks(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r')) {
            i++;
        }
        return i;
    }

    static void closeQuietly(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException | RuntimeException ignored) {
                // an in-memory parser: nothing to release that matters
            }
        }
    }

    /** Reads one object from START_OBJECT to its END_OBJECT; event_type and flow fields unchecked. */
    private EveEvent readObject(JsonParser p) throws IOException, MalformedEventException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedEventException("not a JSON object");
        }
        String eventType = null;
        String timestamp = null;
        String srcIp = null;
        String destIp = null;
        int srcPort = EveEvent.NO_PORT;
        int destPort = EveEvent.NO_PORT;
        long[] counters = NO_COUNTERS;
        int seen = 0;
        int present = 0;
        boolean watching = !watched.isEmpty();
        String proto = null;
        String vlan = null;
        String inIface = null;
        String appProto = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int bit;
            switch (name) {
                case "event_type": bit = 1; eventType = string(p, v, name); break;
                case "timestamp": bit = 2; timestamp = string(p, v, name); break;
                case "src_ip": bit = 4; srcIp = string(p, v, name); break;
                case "dest_ip": bit = 8; destIp = string(p, v, name); break;
                case "src_port": bit = 16; srcPort = port(p, v, name); break;
                case "dest_port": bit = 32; destPort = port(p, v, name); break;
                case "proto": bit = keyProto ? 128 : 0; proto = keyString(p, v, name, keyProto); break;
                case "in_iface": bit = keyIface ? 256 : 0; inIface = keyString(p, v, name, keyIface); break;
                case "app_proto": // FEVER's flow profiler's key: a string or nothing, the last one wins
                    bit = 0;
                    appProto = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    p.skipChildren();
                    break;
                case "vlan":
                    bit = keyVlan ? 512 : 0;
                    if (keyVlan) {
                        vlan = vlanList(p, v);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "flow":
                    bit = 64;
                    if (v != JsonToken.START_OBJECT) {
                        throw new MalformedEventException("'flow' is not an object");
                    }
                    counters = flowCounters(p);
                    break;
                default:
                    bit = 0;
                    p.skipChildren();
            }
            if ((seen & bit) != 0) {
                throw new MalformedEventException("duplicate key '" + name + "'");
            }
            seen |= bit;
            if (watching) {
                present |= watched.bit(name);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedEventException("invalid JSON object");
        }
        if ("flow".equals(eventType)) { // in this order: the first thing missing is named
            if (srcIp == null || destIp == null) {
                throw new MalformedEventException("flow event without src_ip/dest_ip");
            }
            if (timestamp == null) {
                throw new MalformedEventException("flow event without timestamp");
            }
            if ((seen & 64) == 0) {
                throw new MalformedEventException("flow event without a 'flow' object (no packet or byte counts)");
            }
        }
        String keyExtra = "";
        if (!keyExtras.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (String k : keyExtras) {
                String value = k.equals("proto") ? quoted(proto) : k.equals("in_iface") ? quoted(inIface) : vlan;
                if (value != null) {
                    b.append(",\"").append(k).append("\":").append(value);
                }
            }
            keyExtra = b.toString();
        }
        return new EveEvent(eventType, timestamp, srcIp, srcPort, destIp, destPort,
                counters[0], counters[1], counters[2], counters[3], present, keyExtra, appProto);
    }

    /** An extra key field that is a string: its value if it is part of the key, else skipped (null). */
    private static String keyString(JsonParser p, JsonToken v, String name, boolean inKey)
            throws IOException, MalformedEventException {
        if (inKey) {
            return string(p, v, name);
        }
        p.skipChildren();
        return null;
    }

    /** {@code s} as a JSON string literal (quotes, escapes), or null. */
    public static String quoted(String s) {
        return s == null ? null : "\"" + new String(JsonStringEncoder.getInstance()
                .quoteAsString(s)) + "\"";
    }

    /** Suricata's "vlan": an array of VLAN ids, as canonical JSON ("[10,20]"). */
    private static String vlanList(JsonParser p, JsonToken v) throws IOException, MalformedEventException {
        if (v != JsonToken.START_ARRAY) {
            throw new MalformedEventException("'vlan' is not an array");
        }
        StringBuilder b = new StringBuilder("[");
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            long id = counter(p, t, "vlan");
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(id);
        }
        return b.append(']').toString();
    }

    /** The event if it has what its type needs: an event_type; for flows src_ip, dest_ip and timestamp. */
    private static EveEvent checked(EveEvent e) throws MalformedEventException {
        if (e.eventType() == null) {
            throw new MalformedEventException("no 'event_type'");
        }
        if (e.isFlow()) {
            if (e.srcIp() == null || e.destIp() == null) {
                throw new MalformedEventException("flow event without src_ip/dest_ip");
            }
            if (e.timestamp() == null) {
                throw new MalformedEventException("flow event without timestamp");
            }
            if (!SuricataTimestamp.isValid(e.timestamp())) {
                throw new MalformedEventException("flow event whose timestamp is not in Suricata's form"
                        + " (2026-12-04T10:00:00.123456+0000)");
            }
        }
        return e;
    }

    private static long[] flowCounters(JsonParser p) throws IOException, MalformedEventException {
        long[] c = new long[4];
        int seen = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            int i;
            switch (name) {
                case "pkts_toserver": i = 0; break;
                case "pkts_toclient": i = 1; break;
                case "bytes_toserver": i = 2; break;
                case "bytes_toclient": i = 3; break;
                default:
                    p.skipChildren();
                    continue;
            }
            if ((seen & (1 << i)) != 0) {
                throw new MalformedEventException("duplicate key 'flow." + name + "'");
            }
            seen |= 1 << i;
            c[i] = counter(p, v, "flow." + name);
        }
        return c;
    }

    private static String string(JsonParser p, JsonToken v, String name) throws IOException, MalformedEventException {
        if (v != JsonToken.VALUE_STRING) {
            throw new MalformedEventException("'" + name + "' is not a string");
        }
        return p.getText();
    }

    private static int port(JsonParser p, JsonToken v, String name) throws IOException, MalformedEventException {
        long n = counter(p, v, name);
        if (n > 65_535) {
            throw new MalformedEventException("'" + name + "' is not a port number: " + n);
        }
        return (int) n;
    }

    private static long counter(JsonParser p, JsonToken v, String name) throws IOException, MalformedEventException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw new MalformedEventException("'" + name + "' is not an integer");
        }
        JsonParser.NumberType nt = p.getNumberType();
        if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
            throw new MalformedEventException("'" + name + "' does not fit in a long");
        }
        long n = p.getLongValue();
        if (n < 0) {
            throw new MalformedEventException("'" + name + "' is negative: " + n);
        }
        return n;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}

package org.eveflow.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;

/**
 * Reads one EVE line (UTF-8 bytes, no line ending) with Jackson's streaming parser, no tree. A line
 * is accepted only if it is exactly one JSON object with a string {@code event_type}, and the fields
 * eveflow reads have the right types: {@code timestamp}, {@code src_ip}, {@code dest_ip} strings;
 * ports integers 0..65535; {@code flow.pkts_*}/{@code flow.bytes_*} non-negative integers that fit a
 * long. Fields it does not read are skipped. Flow events also need src_ip, dest_ip and timestamp.
 * Stateless, thread-safe (the factory is shared, each call has its own parser).
 */
public final class EveParser {
    /** Nesting deeper than this is malformed (Suricata nests about 5 levels). */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest number accepted anywhere on a line, in characters. */
    public static final int MAX_NUMBER_LENGTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .build();

    public EveEvent parse(byte[] buf, int off, int len) throws MalformedEventException {
        try (JsonParser p = FACTORY.createParser(buf, off, len)) {
            return parse(p);
        } catch (MalformedEventException e) {
            throw e;
        } catch (StreamConstraintsException e) {
            throw new MalformedEventException("limit exceeded: " + firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            throw new MalformedEventException("invalid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static EveEvent parse(JsonParser p) throws IOException, MalformedEventException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedEventException("not a JSON object");
        }
        String eventType = null;
        String timestamp = null;
        String srcIp = null;
        String destIp = null;
        int srcPort = EveEvent.NO_PORT;
        int destPort = EveEvent.NO_PORT;
        long[] counters = null;
        int seen = 0;
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
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedEventException("invalid JSON object");
        }
        if (p.nextToken() != null) {
            throw new MalformedEventException("trailing data after the JSON object");
        }
        if (eventType == null) {
            throw new MalformedEventException("no 'event_type'");
        }
        if ("flow".equals(eventType)) {
            if (srcIp == null || destIp == null) {
                throw new MalformedEventException("flow event without src_ip/dest_ip");
            }
            if (timestamp == null) {
                throw new MalformedEventException("flow event without timestamp");
            }
        }
        if (counters == null) {
            counters = new long[4];
        }
        return new EveEvent(eventType, timestamp, srcIp, srcPort, destIp, destPort,
                counters[0], counters[1], counters[2], counters[3]);
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

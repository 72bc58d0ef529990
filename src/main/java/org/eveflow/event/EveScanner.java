package org.eveflow.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link EveLines#readLine} and {@link EveLines#parseLines}: reads a line that is compact, plain JSON, as Suricata
 * writes it, and returns exactly the event {@link EveParser#parse} returns for it, or null for any
 * line it is not sure of, which Jackson then decides. It never rejects a line: every malformed verdict
 * and message is Jackson's. Sure means all of:
 * <ul>
 * <li>the line is at most {@value #MAX_LINE} bytes, starts with '{' and ends with its matching '}';
 * <li>no whitespace between tokens; strings (names too) are printable ASCII without backslashes;
 * <li>numbers follow RFC 8259 and are at most {@value #MAX_NUMBER} characters; nesting is at most
 *     {@value #MAX_DEPTH} deep; the literals are true, false, null;
 * <li>the fields eveflow reads have the right types and appear once: event_type, timestamp, src_ip,
 *     dest_ip strings; ports 0..65535 and flow counters up to 18 digits, plain digits; flow an object;
 *     a flow event has src_ip, dest_ip, a flow object and a timestamp in Suricata's form; app_proto appears at most once (any type: a
 *     string is read, any other value means none, as in Jackson's reading).
 * </ul>
 * These bounds are well inside Jackson's ({@link EveParser}'s nesting and number limits, 50,000-character
 * names), so a line this accepts is one Jackson accepts with the same values. Only for parsers that
 * watch no added fields and read no extra key fields. Stateless, thread-safe.
 */
final class EveScanner {
    static final int MAX_LINE = 32 * 1024;
    static final int MAX_DEPTH = 32;
    static final int MAX_NUMBER = 40;
    private static final int NOT_SURE = -1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long[] NO_COUNTERS = new long[4];
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    /** The top-level fields read, in the order of their bits (see {@link #field}). */
    private static final byte[][] FIELDS = {name("event_type"), name("timestamp"), name("src_ip"),
        name("dest_ip"), name("src_port"), name("dest_port"), name("flow"), name("app_proto")};
    private static final byte[] FLOW = FIELDS[6];
    private static final byte[][] COUNTERS = {name("pkts_toserver"), name("pkts_toclient"),
        name("bytes_toserver"), name("bytes_toclient")};

    private EveScanner() {
    }

    private static byte[] name(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The event of line {@code b[start, end)}, or null if this scanner is not sure (see the class comment). */
    static EveEvent scan(byte[] b, int start, int end) {
        EveEvent[] one = new EveEvent[1];
        return scanInto(b, start, end, one, 0) ? one[0] : null;
    }

    /**
     * As {@link #scan}, into {@code out[slot]}: true if sure, and then {@code out[slot]} is the event;
     * false leaves {@code out[slot]} undefined (parseLines sets every slot it does not take from here).
     */
    static boolean scanInto(byte[] b, int start, int end, EveEvent[] out, int slot) {
        return end - start <= MAX_LINE && end - start >= 2 && b[end - 1] == '}' && object(b, start, end, out, slot) == end;
    }

    /**
     * Reads the line that starts at {@code b[start]} and ends at the first '\n' before {@code limit},
     * when the line is one this scanner is sure of and its object is followed directly by that newline:
     * then {@code out[slot]} is its event (as {@link #scan} of the line) and the result is the newline's
     * index. Else NOT_SURE and {@code out[slot]} is null: the line is left to the caller to find. Sure
     * is never wrong about where the line ends: a sure object has no newline inside it (not in strings,
     * none between tokens).
     */
    static int scanLine(byte[] b, int start, int limit, EveEvent[] out, int slot) {
        int end = Math.min(limit, start + MAX_LINE + 1);
        int q = object(b, start, end, out, slot);
        if (q >= 0 && q < end && b[q] == '\n') {
            return q;
        }
        out[slot] = null;
        return NOT_SURE;
    }

    /**
     * The object at {@code b[start]}, within {@code b[start, end)}: if sure, its event goes to
     * {@code out[slot]} and the index after its closing brace is returned; else NOT_SURE.
     */
    private static int object(byte[] b, int start, int end, EveEvent[] out, int slot) {
        if (end - start < 2 || b[start] != '{') {
            return NOT_SURE;
        }
        String[] strings = new String[4]; // event_type, timestamp, src_ip, dest_ip: by their bit's position
        int srcPort = EveEvent.NO_PORT;
        int destPort = EveEvent.NO_PORT;
        long[] counters = null;
        String appProto = null;
        int seen = 0;
        int q = start + 1;
        if (b[q] == '}') {
            return NOT_SURE; // {}: no event_type
        }
        while (true) {
            int nameStart = q + 1;
            q = member(b, q, end);
            if (q < 0) {
                return NOT_SURE;
            }
            int bit = field(b, nameStart, q - 2 - nameStart);
            if (bit == 0) {
                q = value(b, q, end, 2);
            } else if (bit == 128) { // app_proto
                if (b[q] == '"') {
                    int close = stringValueEnd(b, q, end);
                    if (close < 0) {
                        return NOT_SURE;
                    }
                    appProto = new String(b, q + 1, close - q - 1, StandardCharsets.ISO_8859_1);
                    q = close + 1;
                } else {
                    q = value(b, q, end, 2);
                }
            } else if (bit <= 8) {
                int close = stringValueEnd(b, q, end);
                if (close < 0) {
                    return NOT_SURE;
                }
                strings[Integer.numberOfTrailingZeros(bit)] = bit == 1 && is(b, q + 1, close - q - 1, FLOW)
                        ? "flow" : new String(b, q + 1, close - q - 1, StandardCharsets.ISO_8859_1);
                q = close + 1;
            } else if (bit <= 32) {
                long port = digits(b, q, end, 5);
                if (port < 0 || port > 65_535) {
                    return NOT_SURE;
                }
                if (bit == 16) {
                    srcPort = (int) port;
                } else {
                    destPort = (int) port;
                }
                q = skipDigits(b, q, end);
            } else {
                counters = new long[4];
                q = b[q] == '{' ? container(b, q, end, 2, counters) : NOT_SURE;
            }
            if (q < 0 || q >= end || (seen & bit) != 0) {
                return NOT_SURE;
            }
            seen |= bit;
            if (b[q] == ',') {
                q++;
                continue;
            }
            if (b[q] != '}' || strings[0] == null) {
                return NOT_SURE;
            }
            q++;
            break;
        }
        if ("flow".equals(strings[0]) && (strings[1] == null || strings[2] == null || strings[3] == null
                || counters == null || !SuricataTimestamp.isValid(strings[1]))) {
            return NOT_SURE; // a flow needs timestamp (in Suricata's form), src_ip, dest_ip and a flow object
        }
        long[] c = counters == null ? NO_COUNTERS : counters;
        out[slot] = new EveEvent(strings[0], strings[1], strings[2], srcPort, strings[3], destPort, c[0], c[1], c[2],
                c[3], 0, "", appProto);
        return q;
    }

    /**
     * A member name at {@code b[q]} (a string followed by ':'): the index of its value, or NOT_SURE. The
     * name is {@code b[q + 1, result - 2)}.
     */
    private static int member(byte[] b, int q, int end) {
        if (q >= end || b[q] != '"') {
            return NOT_SURE;
        }
        int e = stringEnd(b, q + 1, end);
        return e < 0 || e + 2 >= end || b[e + 1] != ':' ? NOT_SURE : e + 2;
    }

    /**
     * The bit (as in {@link EveParser}'s duplicate check) of a top-level field this reads: 1 event_type,
     * 2 timestamp, 4 src_ip, 8 dest_ip (strings), 16 src_port, 32 dest_port, 64 flow; 128 app_proto (the
     * scanner's own: Jackson's reading lets the last of several win, so a repeated one is left to it);
     * 0 for any other.
     */
    private static int field(byte[] b, int off, int len) {
        int i;
        switch (len) { // the candidates of each length (see FIELDS), so most names are compared to one or none
            case 4: i = 6; break;
            case 6: i = 2; break;
            case 7: i = 3; break;
            case 8: i = 4; break;
            case 9: i = b[off] == 't' ? 1 : b[off] == 'd' ? 5 : 7; break;
            case 10: i = 0; break;
            default: return 0;
        }
        return is(b, off, len, FIELDS[i]) ? 1 << i : 0;
    }

    /** The index in {@link #COUNTERS} of the name {@code b[off, off+len)}, or -1. */
    private static int counter(byte[] b, int off, int len) {
        if (len < 13 || len > 14) {
            return -1;
        }
        int i = (len - 13) * 2 + (b[off + len - 6] == 'c' ? 1 : 0); // "pkts_to" or "bytes_to", then "server" or "client"
        return is(b, off, len, COUNTERS[i]) ? i : -1;
    }

    /**
     * Skips one value at {@code b[p]}, which is at nesting depth {@code depth} if it is an object or
     * array; returns the index after it or {@link #NOT_SURE}.
     */
    private static int value(byte[] b, int p, int end, int depth) {
        if (p >= end) {
            return NOT_SURE;
        }
        switch (b[p]) {
            case '"': {
                int close = stringValueEnd(b, p, end);
                return close < 0 ? NOT_SURE : close + 1;
            }
            case '{':
            case '[':
                return depth > MAX_DEPTH ? NOT_SURE : container(b, p, end, depth, null);
            case 't': return literal(b, p, end, TRUE);
            case 'f': return literal(b, p, end, FALSE);
            case 'n': return literal(b, p, end, NULL);
            default: return number(b, p, end);
        }
    }

    /**
     * Skips the object or array at {@code b[p]}, at nesting depth {@code depth}; with {@code counters} it
     * is the top-level "flow" object and its counters are read into them. The index after it, or NOT_SURE.
     */
    private static int container(byte[] b, int p, int end, int depth, long[] counters) {
        byte close = b[p] == '{' ? (byte) '}' : (byte) ']';
        int q = p + 1;
        if (q < end && b[q] == close) {
            return q + 1;
        }
        int seen = 0;
        while (true) {
            int counter = -1;
            if (close == '}') {
                int nameStart = q + 1;
                q = member(b, q, end);
                if (q < 0) {
                    return NOT_SURE;
                }
                counter = counters == null ? -1 : counter(b, nameStart, q - 2 - nameStart);
            }
            if (counter >= 0) {
                long n = digits(b, q, end, 18);
                if (n < 0 || (seen & 1 << counter) != 0) {
                    return NOT_SURE;
                }
                seen |= 1 << counter;
                counters[counter] = n;
                q = skipDigits(b, q, end);
            } else {
                q = value(b, q, end, depth + 1);
            }
            if (q < 0 || q >= end) {
                return NOT_SURE;
            }
            if (b[q] == close) {
                return q + 1;
            }
            if (b[q] != ',') {
                return NOT_SURE;
            }
            q++;
        }
    }

    /** The index of the closing quote of a string value at {@code b[p]}, or NOT_SURE (also if it is not a string). */
    private static int stringValueEnd(byte[] b, int p, int end) {
        return b[p] == '"' ? stringEnd(b, p + 1, end) : NOT_SURE;
    }

    /**
     * The index of the closing quote of a string whose content starts at {@code from}, or NOT_SURE.
     * Reads 8 bytes at a time: the first special byte among them (a quote, a backslash, a control or a
     * non-ASCII byte) ends the string if it is a quote, else the scanner is not sure.
     */
    private static int stringEnd(byte[] b, int from, int end) {
        int i = from;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long special = special((long) LONGS.get(b, i));
            if (special != 0) {
                int at = i + (Long.numberOfTrailingZeros(special) >>> 3);
                return b[at] == '"' ? at : NOT_SURE;
            }
        }
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c < 0x20 || c == '\\') { // bytes >= 0x80 are negative: not ASCII, Jackson decides
                return NOT_SURE;
            }
        }
        return NOT_SURE;
    }

    /**
     * For the 8 bytes of {@code w} (little-endian: the first byte lowest): 0 if none is '"', '\\', below
     * 0x20 or above 0x7f; else a mask whose lowest set bit is the high bit of the first such byte (a
     * subtraction's borrow can only mark bytes after a true one, never before).
     */
    private static long special(long w) {
        long quote = w ^ 0x2222_2222_2222_2222L;
        long backslash = w ^ 0x5C5C_5C5C_5C5C_5C5CL;
        // a byte's high bit ends up set where it was 0 ('"' or '\\' after the xor), below 0x20, or above 0x7f
        return ((quote - 0x0101_0101_0101_0101L) & ~quote
                | (backslash - 0x0101_0101_0101_0101L) & ~backslash
                | (w - 0x2020_2020_2020_2020L) & ~w
                | w) & 0x8080_8080_8080_8080L;
    }

    private static int literal(byte[] b, int p, int end, byte[] word) {
        if (end - p < word.length) {
            return NOT_SURE;
        }
        for (int i = 0; i < word.length; i++) {
            if (b[p + i] != word[i]) {
                return NOT_SURE;
            }
        }
        return p + word.length;
    }

    /** An RFC 8259 number at {@code b[p]} of at most MAX_NUMBER characters: the index after it, or NOT_SURE. */
    private static int number(byte[] b, int p, int end) {
        int q = p;
        if (q < end && b[q] == '-') {
            q++;
        }
        if (q >= end || b[q] < '0' || b[q] > '9') {
            return NOT_SURE;
        }
        if (b[q] == '0') {
            q++;
        } else {
            q = skipDigits(b, q, end);
        }
        if (q < end && b[q] == '.') {
            int d = ++q;
            q = skipDigits(b, q, end);
            if (q == d) {
                return NOT_SURE;
            }
        }
        if (q < end && (b[q] == 'e' || b[q] == 'E')) {
            q++;
            if (q < end && (b[q] == '+' || b[q] == '-')) {
                q++;
            }
            int d = q;
            q = skipDigits(b, q, end);
            if (q == d) {
                return NOT_SURE;
            }
        }
        return q - p > MAX_NUMBER ? NOT_SURE : q;
    }

    private static int skipDigits(byte[] b, int q, int end) {
        while (q < end && b[q] >= '0' && b[q] <= '9') {
            q++;
        }
        return q;
    }

    /**
     * A non-negative integer of 1 to {@code max} plain digits at {@code b[p]} without a leading zero
     * (other than "0" itself), or -1; the caller checks what follows it.
     */
    private static long digits(byte[] b, int p, int end, int max) {
        long n = 0;
        int q = p;
        while (q < end && q - p < max + 1 && b[q] >= '0' && b[q] <= '9') {
            n = n * 10 + (b[q] - '0');
            q++;
        }
        int count = q - p;
        if (count == 0 || count > max || count > 1 && b[p] == '0') {
            return -1;
        }
        return n;
    }

    private static boolean is(byte[] b, int off, int len, byte[] name) {
        if (len != name.length) {
            return false;
        }
        if (len >= Long.BYTES) { // 8 bytes at a time, the last 8 overlapping the ones before
            for (int i = 0; i < len - Long.BYTES; i += Long.BYTES) {
                if ((long) LONGS.get(b, off + i) != (long) LONGS.get(name, i)) {
                    return false;
                }
            }
            return (long) LONGS.get(b, off + len - Long.BYTES) == (long) LONGS.get(name, len - Long.BYTES);
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

}

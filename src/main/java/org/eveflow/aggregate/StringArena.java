package org.eveflow.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of one window (key fields, earliest timestamps) in one byte array, each located by its
 * offset and a length code: a code {@code >= 0} is that many ASCII bytes, a code {@code < 0} is
 * {@code -code} UTF-16 chars (two bytes each), so two distinct strings never share an encoding and
 * {@link #matches} is a byte comparison. {@link #NONE} is no string and is never a code (a string of
 * 2^31 chars cannot be one). Appending never moves what is stored; the array grows as {@link Growth}
 * says. Not thread-safe: used under its window's guard.
 */
final class StringArena {
    /** No string (as a length code). */
    static final int NONE = Integer.MIN_VALUE;
    private final Growth growth;
    private byte[] bytes;
    private int used;

    StringArena(int capacity, Growth growth) {
        this.growth = growth;
        this.bytes = new byte[Math.max(1, capacity)];
    }

    /** The bytes a string of {@code code} takes. */
    static int bytes(int code) {
        return code >= 0 ? code : -2 * code;
    }

    static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The bytes {@code s} takes here. */
    static int encodedLength(String s) {
        return ascii(s) ? s.length() : 2 * s.length();
    }

    int used() {
        return used;
    }

    byte[] array() {
        return bytes;
    }

    byte at(int offset) {
        return bytes[offset];
    }

    /** Appends {@code s}; returns its length code (it starts at the {@link #used()} before the call). */
    int put(String s) {
        int n = s.length();
        boolean ascii = ascii(s);
        int need = ascii ? n : 2 * n;
        if (growth.mustGrow(used, need, bytes.length)) {
            bytes = Arrays.copyOf(bytes, Math.max(Growth.grown(bytes.length), used + need));
        }
        int at = used;
        if (ascii) {
            for (int i = 0; i < n; i++) {
                bytes[at + i] = (byte) s.charAt(i);
            }
        } else {
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                bytes[at + 2 * i] = (byte) (c >>> 8);
                bytes[at + 2 * i + 1] = (byte) c;
            }
        }
        used = at + need;
        return ascii ? n : -n;
    }

    /** Writes {@code s} over the string at {@code offset}, which has room for it; returns its code. */
    int putAt(int offset, String s) {
        int end = used;
        used = offset;
        int code = put(s);
        used = end;
        return code;
    }

    boolean matches(int off, int code, String s) {
        int n = s.length();
        if (code >= 0) {
            if (code != n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (bytes[off + i] != s.charAt(i) || s.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }
        if (-code != n || ascii(s)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (((bytes[off + 2 * i] & 0xff) << 8 | (bytes[off + 2 * i + 1] & 0xff)) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    String string(int off, int code) {
        if (code >= 0) {
            return new String(bytes, off, code, StandardCharsets.ISO_8859_1);
        }
        char[] c = new char[-code];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ((bytes[off + 2 * i] & 0xff) << 8 | (bytes[off + 2 * i + 1] & 0xff));
        }
        return new String(c);
    }

    /** Empties the arena for reuse, keeping its array. */
    void clear() {
        used = 0;
    }
}

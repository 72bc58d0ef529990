package org.eveflow.aggregate;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Orders Suricata timestamps ("2026-11-28T10:00:00.123456+0000"). Same length and same UTC offset:
 * plain string order, which is time order. Otherwise the instants are compared, ties broken by the
 * string, so the earliest is deterministic whatever the arrival order. Pure, thread-safe.
 */
final class Timestamps {
    private static final DateTimeFormatter SURICATA = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendOffset("+HHmm", "Z")
            .toFormatter();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private Timestamps() {
    }

    /** The earlier of two timestamps; a null is later than anything. */
    static String earliest(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return compare(a, b) <= 0 ? a : b;
    }

    static int compare(String a, String b) {
        int n = a.length();
        if (n == b.length() && n >= 5 && a.regionMatches(n - 5, b, n - 5, 5)) {
            return a.compareTo(b);
        }
        OffsetDateTime ta = parse(a);
        OffsetDateTime tb = parse(b);
        if (ta != null && tb != null) {
            int c = ta.toInstant().compareTo(tb.toInstant());
            if (c != 0) {
                return c;
            }
        } else if (ta != null || tb != null) {
            return ta != null ? -1 : 1; // a parseable timestamp is earlier than an unparseable one
        }
        return a.compareTo(b);
    }

    private static OffsetDateTime parse(String s) {
        try {
            return OffsetDateTime.parse(s, SURICATA);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(s, ISO);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /**
     * Whether {@code ts} is earlier than the timestamp stored in {@code arena} at {@code off} with
     * length code {@code len}: the same length and UTC offset compare as characters, in place; any other
     * pair as {@link #compare} orders them.
     */
    static boolean isEarlier(String ts, StringArena arena, int off, int len) {
        int n = ts.length();
        if (len == n && n >= 5) {
            boolean sameOffset = true;
            for (int i = n - 5; i < n && sameOffset; i++) {
                sameOffset = arena.at(off + i) == ts.charAt(i);
            }
            if (sameOffset) { // the common case: same format, same UTC offset: plain order is time order
                for (int i = 0; i < n; i++) {
                    int c = ts.charAt(i);
                    int s = arena.at(off + i);
                    if (c != s) {
                        return c < s;
                    }
                }
                return false;
            }
        }
        return Timestamps.compare(ts, arena.string(off, len)) < 0;
    }
}

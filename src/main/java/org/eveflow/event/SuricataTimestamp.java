package org.eveflow.event;

/**
 * Whether a flow event's timestamp is in the form Suricata writes ({@code 2026-12-04T10:00:00.123456+0000}:
 * date, 'T', time, an optional fraction of 1 to 9 digits, and a UTC offset {@code +HHMM}, {@code +HH:MM}
 * or {@code Z}). The aggregate's earliest timestamp is chosen by comparing them, so anything else in
 * a flow event is malformed. Checks the shape only (digits where digits go), not the calendar. Stateless.
 */
final class SuricataTimestamp {
    private SuricataTimestamp() {
    }

    static boolean isValid(String s) {
        int n = s.length();
        if (n < 20 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-'
                || !digits(s, 8, 10) || s.charAt(10) != 'T' || !digits(s, 11, 13) || s.charAt(13) != ':'
                || !digits(s, 14, 16) || s.charAt(16) != ':' || !digits(s, 17, 19)) {
            return false;
        }
        int i = 19;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return false;
            }
        }
        if (i == n - 1) {
            return s.charAt(i) == 'Z';
        }
        if (i >= n || (s.charAt(i) != '+' && s.charAt(i) != '-')) {
            return false;
        }
        int rest = n - i - 1;
        return rest == 4 ? digits(s, i + 1, n)
                : rest == 5 && digits(s, i + 1, i + 3) && s.charAt(i + 3) == ':' && digits(s, i + 4, n);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}

package org.eveflow.event;

/**
 * Whether a flow event's timestamp is in the form Suricata writes ({@code 2026-12-04T10:00:00.123456+0000}:
 * date, 'T', time, an optional fraction of 1 to 9 digits, and a UTC offset {@code +HHMM}, {@code +HH:MM}
 * or {@code Z}). The aggregate's earliest timestamp is chosen by comparing them, so anything else in
 * a flow event is malformed: also a date or time that is not on the calendar (year 0000, February 30,
 * hour 24, second 60: Suricata writes seconds from the system clock, which has no leap second) and an
 * offset past 14 hours or with 60 or more minutes. Digits are compared as characters; no object is
 * made. Stateless.
 */
final class SuricataTimestamp {
    private SuricataTimestamp() {
    }

    static boolean isValid(String s) {
        int n = s.length();
        if (n < 20 || !digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 7) || s.charAt(7) != '-'
                || !digits(s, 8, 10) || s.charAt(10) != 'T' || !digits(s, 11, 13) || s.charAt(13) != ':'
                || !digits(s, 14, 16) || s.charAt(16) != ':' || !digits(s, 17, 19) || !onTheCalendar(s)) {
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
        int minutes = rest == 4 ? i + 3 : i + 4;
        return (rest == 4 || rest == 5 && s.charAt(i + 3) == ':') && digits(s, i + 1, i + 3) && digits(s, minutes, n)
                && number(s, i + 1) <= MAX_OFFSET_HOURS && number(s, minutes) <= 59;
    }

    /** UTC offsets in use run from -12:00 to +14:00. */
    private static final int MAX_OFFSET_HOURS = 14;

    /** Of a shape already checked: year 0001-9999, a real month and day, hour 00-23, minute and second 00-59. */
    private static boolean onTheCalendar(String s) {
        int year = number(s, 0) * 100 + number(s, 2);
        int month = number(s, 5);
        int day = number(s, 8);
        return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(month, year)
                && number(s, 11) <= 23 && number(s, 14) <= 59 && number(s, 17) <= 59;
    }

    private static int daysIn(int month, int year) {
        if (month == 2) {
            return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
        }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
    }

    /** The two digits at {@code at} as a number. */
    private static int number(String s, int at) {
        return (s.charAt(at) - '0') * 10 + s.charAt(at + 1) - '0';
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

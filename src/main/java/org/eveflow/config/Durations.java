package org.eveflow.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration} syntax ("500ms", "1m0s", "1h30m", "1.5s"), as FEVER users write it.
 * Pure functions, thread-safe.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

    private Durations() {
    }

    /** Parses a Go duration; throws IllegalArgumentException with a readable reason. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("-")) {
            throw new IllegalArgumentException("negative duration '" + text + "'");
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        Matcher m = PART.matcher(s);
        int pos = 0;
        double nanos = 0;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException("invalid duration '" + text
                        + "' (Go syntax expected, e.g. 500ms, 10s, 1m0s, 1h30m)");
            }
            double value = Double.parseDouble(m.group(1));
            nanos += value * unitNanos(m.group(2));
            pos = m.end();
        }
        if (nanos > Long.MAX_VALUE) {
            throw new IllegalArgumentException("duration '" + text + "' too large");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    private static double unitNanos(String unit) {
        switch (unit) {
            case "ns": return 1;
            case "us": case "µs": case "μs": return 1e3;
            case "ms": return 1e6;
            case "s": return 1e9;
            case "m": return 60e9;
            case "h": return 3600e9;
            default: throw new IllegalArgumentException("unknown unit " + unit);
        }
    }

    /** Formats like Go's Duration.String() for whole milliseconds and above ("1h30m0s", "500ms"). */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return d.isZero() ? "0s" : d.toNanos() + "ns";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        StringBuilder b = new StringBuilder();
        long h = ms / 3_600_000;
        long m = (ms / 60_000) % 60;
        long sMs = ms % 60_000;
        if (h > 0) {
            b.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            b.append(m).append('m');
        }
        if (sMs % 1000 == 0) {
            b.append(sMs / 1000);
        } else {
            b.append(String.format(Locale.ROOT, "%d.%03d", sMs / 1000, sMs % 1000).replaceAll("0+$", ""));
        }
        return b.append('s').toString();
    }
}

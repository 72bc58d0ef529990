package org.eveflow.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as operators write them: "16MiB", "64MB", "512KiB", "1048576". Pure, thread-safe. */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);

    private Sizes() {
    }

    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size");
        }
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size '" + text + "' (expected e.g. 1048576, 512KiB, 16MiB, 1GiB)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' too large");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long mult;
        switch (unit.charAt(0)) {
            case 'b': mult = 1; break;
            case 'k': mult = unit.contains("i") ? 1L << 10 : 1000L; break;
            case 'm': mult = unit.contains("i") ? 1L << 20 : 1000_000L; break;
            case 'g': mult = unit.contains("i") ? 1L << 30 : 1000_000_000L; break;
            case 't': mult = unit.contains("i") ? 1L << 40 : 1000_000_000_000L; break;
            default: throw new IllegalArgumentException("invalid size unit in '" + text + "'");
        }
        try {
            return Math.multiplyExact(n, mult);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size '" + text + "' too large");
        }
    }

    /** {@code bytes} in the largest binary unit that divides it ("64KiB", "1TiB", "100"). */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (units.length - i));
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }
}

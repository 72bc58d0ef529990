package org.eveflow.event;

import java.nio.charset.StandardCharsets;

/** Test access to {@link EveScanner} for tests outside this package (e.g. on real Suricata output). */
public final class ScannerCheck {
    private static final EveParser JACKSON = new EveParser();

    private ScannerCheck() {
    }

    /**
     * Whether the scanner takes this line; throws AssertionError if it takes it but Jackson rejects it
     * or reads another event.
     */
    public static boolean takes(String line) {
        return takes(line.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #takes(String)}, for a line of any bytes. */
    public static boolean takes(byte[] l) {
        EveEvent scanned = EveScanner.scan(l, 0, l.length);
        if (scanned == null) {
            return false;
        }
        String line = new String(l, StandardCharsets.UTF_8);
        try {
            EveEvent judged = JACKSON.parse(l, 0, l.length);
            if (!scanned.equals(judged)) {
                throw new AssertionError("scanner read " + scanned + ", Jackson " + judged + ": " + line);
            }
        } catch (MalformedEventException e) {
            throw new AssertionError("scanner took a line Jackson rejects (" + e.getMessage() + "): " + line, e);
        }
        return true;
    }
}

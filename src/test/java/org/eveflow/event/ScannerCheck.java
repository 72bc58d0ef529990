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
        String line = new String(l, StandardCharsets.UTF_8);
        checkScanLine(l, scanned, line);
        if (scanned == null) {
            return false;
        }
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

    /**
     * {@link EveScanner#scanLine} on the line and its newline, with more after them, agrees with
     * {@link EveScanner#scan} of the line alone: the same event and the newline's index, or not sure.
     * Only for a line without a newline of its own (a line never has one).
     */
    private static void checkScanLine(byte[] l, EveEvent scanned, String line) {
        for (byte c : l) {
            if (c == '\n') {
                return;
            }
        }
        byte[] b = new byte[l.length + 3];
        System.arraycopy(l, 0, b, 1, l.length);
        b[0] = '\n';
        b[l.length + 1] = '\n';
        b[l.length + 2] = '{';
        EveEvent[] out = {new EveEvent("stale", null, null, -1, null, -1, 0, 0, 0, 0, 0, "", null)};
        int nl = EveScanner.scanLine(b, 1, b.length, out, 0);
        int want = scanned == null ? -1 : l.length + 1;
        if (nl != want || out[0] != scanned && (out[0] == null || !out[0].equals(scanned))) {
            throw new AssertionError("scanLine gave " + nl + " and " + out[0] + ", scan " + scanned + ": " + line);
        }
    }
}

package org.eveflow.event;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Decodes the lines of a batch as fast as they can be while every verdict stays the judge's
 * ({@link EveParser#parse}): a line goes first to {@link EveScanner} (when the judge reads no added or
 * extra key fields, so the scanner reads exactly what it does), then to one Jackson parser shared
 * across the lines for as long as they are well-formed and only blanks lie between them, and a line
 * either is not sure of is judged alone. Immutable, thread-safe (each call has its own parser).
 */
public final class EveLines {
    private final EveParser judge;
    private final boolean scanned;

    public EveLines(EveParser judge) {
        this.judge = judge;
        this.scanned = judge.scannerAgrees();
    }

    /**
     * Parses {@code n} lines that lie in order in {@code buf} (line i is {@code buf[starts[i], ends[i])},
     * lines separated by at least one byte, e.g. '\n'), with one parser for as long as the lines are
     * well-formed and only blanks and newlines lie between them: a new parser per line costs more than
     * a tenth of the decoding. Before that, a line
     * goes to {@link EveScanner} (when this parser watches no added fields and reads no extra key
     * fields), which returns what {@link EveParser#parse} would for compact, plain lines as Suricata writes them
     * and leaves every other line to Jackson. A line is taken from
     * the shared parser only if its object starts at the line's first non-blank byte and ends within
     * the line with only blanks after it; every other line is parsed again on its own with
     * {@link EveParser#parse}, so each line's verdict and error message are exactly {@link EveParser#parse}'s. On return
     * {@code out[i]} is line i's event, or null and {@code errors[i]} says why; the result is how many
     * lines Jackson read (the scanner was not sure of them, or is off).
     */
    public int parseLines(byte[] buf, int[] starts, int[] ends, int n, EveEvent[] out,
                          MalformedEventException[] errors) {
        return parseLines(buf, starts, ends, n, out, errors, false);
    }

    /**
     * As {@link #parseLines(byte[], int[], int[], int, EveEvent[], MalformedEventException[])}; with
     * {@code keepRead}, a line whose {@code out[i]} is set on entry (by {@link #readLine}) is kept as
     * it is, and only the others are parsed.
     */
    public int parseLines(byte[] buf, int[] starts, int[] ends, int n, EveEvent[] out,
                          MalformedEventException[] errors, boolean keepRead) {
        int judged = 0;
        JsonParser p = null;
        int base = 0;
        int limit = n > 0 ? ends[n - 1] : 0;
        try {
            for (int i = 0; i < n; i++) {
                int start = starts[i];
                int end = ends[i];
                if (keepRead && out[i] != null || scanned && EveScanner.scanInto(buf, start, end, out, i)) {
                    errors[i] = null;
                    EveParser.closeQuietly(p); // it is not positioned after this line
                    p = null;
                    continue;
                }
                judged++;
                if (p != null && skipBlanksAndNewlines(buf, ends[i - 1], start) != start) {
                    EveParser.closeQuietly(p); // not only blanks since the line before (e.g. a line left out): not next
                    p = null;
                }
                EveEvent event = null;
                int first = EveParser.skipBlanks(buf, start, end);
                if (first < end && buf[first] == '{') {
                    try {
                        if (p == null) {
                            p = EveParser.newParser(buf, first, limit - first);
                            base = first;
                        }
                        EveEvent e = judge.readChecked(p);
                        long after = base + p.currentLocation().getByteOffset();
                        if (after <= end && EveParser.skipBlanks(buf, (int) after, end) == end) {
                            event = e;
                        }
                    } catch (MalformedEventException | IOException | RuntimeException e) {
                        // parsed again on its own below, for the exact verdict and message
                    }
                    if (event == null) {
                        EveParser.closeQuietly(p);
                        p = null;
                    }
                }
                errors[i] = null;
                if (event == null) {
                    try {
                        event = judge.parse(buf, start, end - start);
                    } catch (MalformedEventException e) {
                        errors[i] = e;
                    }
                }
                out[i] = event;
            }
        } finally {
            EveParser.closeQuietly(p);
        }
        return judged;
    }

    /**
     * Reads the line at {@code buf[start]} when {@link EveScanner} is sure of it and it ends with a '\n'
     * before {@code limit} directly after its object: {@code out[slot]} is then its event (what {@link
     * #parse} returns for the line) and the result is the newline's index. Else -1 (also for a parser
     * that watches added fields or reads extra key fields): the caller finds the line's end itself.
     * This is the fast path's only pass over a line: it finds the line's end as it reads it.
     */
    public int readLine(byte[] buf, int start, int limit, EveEvent[] out, int slot) {
        return scanned ? EveScanner.scanLine(buf, start, limit, out, slot) : -1;
    }

    /** The first index in [from, to) that is not JSON whitespace, or {@code to}. */
    private static int skipBlanksAndNewlines(byte[] buf, int from, int to) {
        int i = EveParser.skipBlanks(buf, from, to);
        while (i < to && buf[i] == '\n') {
            i = EveParser.skipBlanks(buf, i + 1, to);
        }
        return i;
    }

}

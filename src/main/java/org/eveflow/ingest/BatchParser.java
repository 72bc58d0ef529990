package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eveflow.event.EveEvent;
import org.eveflow.event.EveLines;
import org.eveflow.event.EveParser;
import org.eveflow.event.MalformedEventException;
import org.eveflow.log.RateLimitedLog;

/**
 * Parses a batch of chunks from {@link EveLineFramer} (each a run of whole lines) into events. It
 * copies the chunks whole into this thread's {@link Lines} and splits them at '\n' as it reads them:
 * {@link EveLines#readLine} reads a line as Suricata writes it in the same pass that finds its end;
 * any other line is found with Netty's newline search (a '\r' before the newline is stripped), counted
 * as oversized if longer than the maximum, and otherwise parsed by {@link EveLines#parseLines} with
 * one parser for the batch. Each malformed line is counted and warned about (rate-limited).
 * Stateless apart from the per-thread scratch; thread-safe.
 */
final class BatchParser {
    /** The warning for a line over the limit, found here or by {@link EveLineFramer}: connection, limit. */
    static final String OVERSIZED = "oversized line on connection {}: longer than {} bytes, discarded up to its newline";
    private static final int KEEP_BYTES = 1 << 20;
    private static final FastThreadLocal<Lines> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Lines initialValue() {
            return new Lines();
        }
    };

    private final EveLines parser;
    private final RateLimitedLog warnings;
    private final int maxLineLength;

    BatchParser(RateLimitedLog warnings, int maxLineLength, EveParser judge) {
        this.parser = new EveLines(judge);
        this.warnings = warnings;
        this.maxLineLength = maxLineLength;
    }

    /**
     * A batch's lines that were not oversized, in order: line i is {@code bytes[starts[i], ends[i])},
     * its event {@code events[i]} (null if malformed). One per thread, reused by the next batch.
     */
    static final class Lines {
        byte[] bytes = new byte[64 * 1024];
        int[] starts = new int[512];
        int[] ends = new int[512];
        EveEvent[] events = new EveEvent[512];
        MalformedEventException[] errors = new MalformedEventException[512];
        int count;

        private void reset(long totalBytes) {
            count = 0;
            // grows as needed; an array larger than KEEP_BYTES (a batch with a huge line) is dropped again
            if (bytes.length < totalBytes || bytes.length > KEEP_BYTES && totalBytes <= KEEP_BYTES) {
                bytes = new byte[(int) Math.max(totalBytes, Math.min(2L * bytes.length, KEEP_BYTES))];
            }
        }

        /** Room for one more line; {@code events[count]} is null or the event {@link EveLines#readLine} read. */
        private void makeRoom() {
            if (count == starts.length) {
                int n = count * 2;
                starts = Arrays.copyOf(starts, n);
                ends = Arrays.copyOf(ends, n);
                events = Arrays.copyOf(events, n);
                errors = new MalformedEventException[n];
            }
        }

        private void add(int start, int end) {
            starts[count] = start;
            ends[count] = end;
            count++;
        }
    }

    /**
     * Splits, counts (oversized and malformed lines into {@code tally}) and parses a batch. The result
     * belongs to this thread until its next call. Does not release the chunks.
     */
    Lines parse(String connection, List<ByteBuf> chunks, BatchTally tally) {
        long total = 0;
        for (ByteBuf c : chunks) {
            total += c.readableBytes();
        }
        Lines lines = SCRATCH.get();
        lines.reset(total);
        byte[] buf = lines.bytes;
        ByteBuf heap = Unpooled.wrappedBuffer(buf); // for Netty's newline search where the scanner is not sure
        int at = 0;
        for (ByteBuf c : chunks) {
            int pos = at;
            int end = at + c.readableBytes();
            c.getBytes(c.readerIndex(), buf, at, end - at);
            at = end;
            while (pos < end) {
                lines.makeRoom();
                int nl = parser.readLine(buf, pos, Math.min(end, pos + maxLineLength + 1), lines.events, lines.count);
                if (nl >= 0) {
                    lines.add(pos, nl);
                    pos = nl + 1;
                    continue;
                }
                nl = heap.indexOf(pos, end, (byte) '\n');
                if (nl < 0) {
                    nl = end; // cannot happen: a chunk ends with '\n'
                }
                int lineEnd = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
                if (lineEnd - pos > maxLineLength) {
                    tally.oversized++;
                    warnings.warn(OVERSIZED, connection, maxLineLength);
                } else {
                    lines.events[lines.count] = null; // left to parseLines
                    lines.add(pos, lineEnd);
                }
                pos = nl + 1;
            }
        }
        tally.judged += parser.parseLines(buf, lines.starts, lines.ends, lines.count, lines.events, lines.errors, true);
        for (int i = 0; i < lines.count; i++) {
            if (lines.errors[i] != null) {
                tally.malformed++;
                warnMalformed(connection, lines.errors[i], buf, lines.starts[i], lines.ends[i]);
                lines.errors[i] = null;
            }
        }
        return lines;
    }

    private void warnMalformed(String connection, MalformedEventException e, byte[] buf, int start, int end) {
        warnings.warn("malformed line on connection {} ({}): {}: {}", connection, e.getMessage(),
                (end - start) + " bytes", preview(buf, start, end));
    }

    private static String preview(byte[] buf, int start, int end) {
        int n = Math.min(end - start, 120);
        String s = new String(buf, start, n, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(n + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return n < end - start ? b + "…" : b.toString();
    }
}

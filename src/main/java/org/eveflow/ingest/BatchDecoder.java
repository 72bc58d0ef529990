package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.eveflow.event.EveEvent;
import org.eveflow.log.Fatal;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.output.Outputs;
import org.eveflow.output.RawLineBlocks;
import org.slf4j.LoggerFactory;

/**
 * Decodes one batch of a connection's whole lines, on whatever thread runs it: parses the lines
 * ({@link BatchParser}), copies each line an output forwards into shared blocks (not yet offered),
 * hands Suricata's stats records on, aggregates the flow events (one lock per stripe) and counts all
 * of it into the batch's {@link BatchTally}; the chunks are released. A bug (or no direct memory)
 * while decoding never loses a batch silently: its lines are counted malformed and it still
 * completes, so later batches are not held up. Stateless apart from its collaborators; thread-safe
 * when they are.
 */
final class BatchDecoder {
    private static final RateLimitedLog BUGS = new RateLimitedLog(
            LoggerFactory.getLogger(BatchDecoder.class), 10_000);

    private final BatchParser parser;
    private final EventRouter router;
    private final Outputs outputs;

    BatchDecoder(BatchParser parser, EventRouter router, Outputs outputs) {
        this.parser = parser;
        this.router = router;
        this.outputs = outputs;
    }

    /** What a batch produced: its counts, and the copies of the lines to forward. */
    static final class Decoded {
        final BatchTally tally = new BatchTally();
        final RawLineBlocks forwarded;
        /** The batch's bytes, counted in the read-ahead until applied. */
        long bytes;
        /** Decoded on the pool (counted there in flight until applied), not inline. */
        boolean pooled;

        Decoded(RawLineBlocks forwarded) {
            this.forwarded = forwarded;
        }
    }

    /** Decodes the lines in {@code chunks} (released here) of connection {@code connection}. */
    Decoded decode(String connection, List<ByteBuf> chunks) {
        Decoded r = new Decoded(outputs.newBlocks());
        BatchParser.Lines lines;
        try {
            lines = parser.parse(connection, chunks, r.tally);
            for (int i = 0; i < lines.count; i++) {
                EveEvent e = lines.events[i];
                if (e != null) {
                    long to = router.forwardedTo(e);
                    boolean forwards = to != 0;
                    if (forwards) {
                        int start = lines.starts[i];
                        r.forwarded.add(to, lines.bytes, start, lines.ends[i] - start, router.insertFor(e));
                    }
                    router.readStats(e, lines.bytes, lines.starts[i], lines.ends[i]);
                    r.tally.decoded(e, forwards, lines.ends[i] - lines.starts[i]);
                }
            }
            r.forwarded.seal(); // before this thread's next batch reuses the lines' bytes
        } catch (RuntimeException | Error unexpected) {
            Fatal.ifFatal("decoding a batch on connection " + connection, unexpected);
            // a bug (or no direct memory), not bad input: the batch's lines count as malformed and the
            // batch still completes in order (a batch that never completed would stop the connection)
            r.forwarded.release();
            long n = 0;
            for (ByteBuf c : chunks) {
                n += countLines(c);
            }
            BUGS.error("unexpected error decoding a batch on connection {}: its {} lines are lost (counted in "
                    + "lines_malformed){}: {}", connection, n, hint(unexpected), String.valueOf(unexpected));
            chunks.forEach(ByteBuf::release);
            Decoded failed = new Decoded(outputs.newBlocks());
            failed.tally.malformed = n;
            return failed;
        }
        chunks.forEach(ByteBuf::release);
        try {
            router.aggregateAll(lines.events, lines.count);
        } catch (RuntimeException | Error unexpected) {
            Fatal.ifFatal("aggregating a batch on connection " + connection, unexpected);
            // a bug: the table counted the flows it could not add (flows_lost); log
            // it, and still complete the batch so later batches and shutdown are not held up
            BUGS.error("unexpected error aggregating a batch on connection {}: the flow events not added are lost "
                    + "(counted in flows_lost){}: {}", connection, hint(unexpected), String.valueOf(unexpected));
        }
        return r;
    }

    /** For a full direct memory (the one OutOfMemoryError that is not fatal), what to do about it. */
    private static String hint(Throwable t) {
        return t instanceof OutOfMemoryError ? "; direct memory is full: raise -XX:MaxDirectMemorySize or lower"
                + " the outputs' buffer-bytes (docs/operations.md, Memory sizing)" : "";
    }

    private static long countLines(ByteBuf chunk) {
        long n = 0;
        for (int i = chunk.readerIndex(); i < chunk.writerIndex(); i++) {
            if (chunk.getByte(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}

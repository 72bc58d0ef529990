package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import org.eveflow.event.EveEvent;
import org.eveflow.log.Fatal;
import org.eveflow.output.Outputs;
import org.eveflow.output.RawLineBlocks;
import org.eveflow.counters.Counters;

/**
 * Dispatches one connection's lines to be parsed ({@link BatchParser}) and routed on the {@link DecodePool} instead of the event loop (or
 * on the event loop itself when there is no pool): chunks of whole lines from {@link EveLineFramer}
 * are gathered into batches (per read, at most {@value #MAX_BYTES} bytes), batches are decoded and
 * aggregated in parallel, and their results (the batch's counts, the lines for the outputs) are
 * applied back on the event loop strictly in batch order, so each output sees this connection's
 * lines in the order they arrived. A small batch (under {@value #INLINE_BYTES} bytes: a read at a
 * sensor's trickle, a few records) with nothing in flight is decoded and applied on the event loop
 * right away, which keeps that order too and costs no hand-off and no wake-up of another thread;
 * while batches are in flight, small reads are gathered into the next batch, which goes when they
 * have been applied (one hand-off for many reads). After a read cycle of under {@value #TRICKLE_BYTES}
 * bytes reading waits 1 ms, so a trickle is read a few KiB at a time instead of one wake-up per record
 * (at a sensor's rate that is far below the writer's socket buffer; a burst's reads are large and
 * never wait). Reading never waits for the decode threads: what
 * has been read and not yet applied is counted in the daemon's {@link ReadAhead}, and only when that
 * is full does reading pause. One instance per connection; its state is confined to the event loop.
 */
final class BatchDispatcher extends ChannelInboundHandlerAdapter {
    private static final org.eveflow.log.RateLimitedLog BUGS = new org.eveflow.log.RateLimitedLog(
            org.slf4j.LoggerFactory.getLogger(BatchDispatcher.class), 10_000);
    static final int MAX_BYTES = 512 * 1024;
    /** Batches smaller than this are decoded where they arrive when nothing is in flight. */
    static final int INLINE_BYTES = 32 * 1024;
    /** A read cycle that brought fewer bytes than this is a trickle: the next read waits {@link #TRICKLE_NANOS}. */
    static final int TRICKLE_BYTES = 8 * 1024;
    static final long TRICKLE_NANOS = 1_000_000;

    private final BatchParser parser;
    private final EventRouter router;
    private final Outputs outputs;
    private final Counters counters;
    /** Null: decode on the event loop. */
    private final DecodePool pool;
    private final ReadAhead readAhead;
    private List<ByteBuf> batch = new ArrayList<>();
    private int batchBytes;
    private int cycleBytes;
    private long submitted;
    private long applied;
    /** Finished batches waiting for their predecessors, by sequence number. */
    private final java.util.HashMap<Long, Result> done = new java.util.HashMap<>();

    BatchDispatcher(BatchParser parser, EventRouter router, Outputs outputs, Counters counters, DecodePool pool,
                 ReadAhead readAhead) {
        this.readAhead = readAhead;
        this.parser = parser;
        this.router = router;
        this.outputs = outputs;
        this.counters = counters;
        this.pool = pool;
    }

    /** What a batch produced: its counts, and the copies of the lines to forward. */
    private static final class Result {
        final BatchTally tally = new BatchTally();
        final RawLineBlocks forwarded;
        /** The batch's bytes, counted in the read-ahead until applied. */
        long bytes;
        /** Decoded on the pool (counted there in flight until applied), not inline. */
        boolean pooled;

        Result(RawLineBlocks forwarded) {
            this.forwarded = forwarded;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf chunk = (ByteBuf) msg;
        int n = chunk.readableBytes();
        batch.add(chunk);
        batchBytes += n;
        cycleBytes += n;
        if (readAhead.add(n) && ctx.channel().config().isAutoRead()) {
            readAhead.pause(ctx.channel());
        }
        if (batchBytes >= MAX_BYTES) {
            submit(ctx);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // gathered small reads wait for the batches in flight, a large batch gets a decode thread of its own
        if (submitted == applied || batchBytes >= INLINE_BYTES) {
            submit(ctx);
        }
        if (cycleBytes < TRICKLE_BYTES && ctx.channel().config().isAutoRead()) {
            // a few records: let more gather in the socket (1 ms is a few KiB at a sensor's rate, far below
            // the writer's buffer) instead of waking for each one
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (!readAhead.isPaused(ctx.channel()) && !ctx.channel().hasAttr(Handover.LEAVING)) {
                    ctx.channel().config().setAutoRead(true);
                }
            }, TRICKLE_NANOS, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        cycleBytes = 0;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        submit(ctx);
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        submit(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // lines never submitted (none once the channel went inactive): they leave the read-ahead; batches
        // in flight still complete and release theirs in apply
        batch.forEach(ByteBuf::release);
        batch.clear();
        readAhead.release(batchBytes);
        batchBytes = 0;
    }

    private void submit(ChannelHandlerContext ctx) {
        if (batch.isEmpty()) {
            return;
        }
        List<ByteBuf> chunks = batch;
        int bytes = batchBytes;
        batch = new ArrayList<>();
        batchBytes = 0;
        boolean nothingInFlight = submitted == applied;
        long seq = submitted++;
        String connection = ctx.channel().id().asShortText();
        if (pool == null || (nothingInFlight && bytes < INLINE_BYTES)) {
            Result r = decode(connection, chunks);
            r.bytes = bytes;
            apply(ctx, seq, r);
            return;
        }
        pool.submit(() -> {
            Result r = decode(connection, chunks);
            r.bytes = bytes;
            r.pooled = true;
            // always, so later batches are never held up
            ctx.executor().execute(Fatal.guarded("applying a batch", () -> apply(ctx, seq, r)));
        });
    }

    /** On a pool thread: decode, copy the lines to forward, aggregate the flows (one lock per stripe); releases the chunks. */
    private Result decode(String connection, List<ByteBuf> chunks) {
        Result r = new Result(outputs.newBlocks());
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
            Result failed = new Result(outputs.newBlocks());
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

    /** On the event loop: applies finished batches in order (counts, then offers to the outputs). */
    private void apply(ChannelHandlerContext ctx, long seq, Result r) {
        done.put(seq, r);
        Result next;
        long released = 0;
        int pooled = 0;
        while ((next = done.remove(applied)) != null) {
            next.forwarded.offer();
            next.tally.addTo(counters);
            applied++;
            released += next.bytes;
            pooled += next.pooled ? 1 : 0;
        }
        if (released > 0) {
            readAhead.release(released);
        }
        if (submitted == applied) {
            submit(ctx); // the small reads gathered while those were in flight
        }
        for (int i = 0; i < pooled; i++) {
            pool.completed(); // after the gathered batch was submitted, so the pool is never idle in between
        }
    }
}

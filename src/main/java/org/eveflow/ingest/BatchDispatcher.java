package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eveflow.counters.Counters;
import org.eveflow.log.Fatal;
import org.eveflow.output.Outputs;

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
    /** A batch is submitted once it holds this many bytes (a large read is several batches). */
    static final int MAX_BYTES = 512 * 1024;
    /** Batches smaller than this are decoded where they arrive when nothing is in flight. */
    static final int INLINE_BYTES = 32 * 1024;
    /** A read cycle that brought fewer bytes than this is a trickle: the next read waits {@link #TRICKLE_NANOS}. */
    static final int TRICKLE_BYTES = 8 * 1024;
    static final long TRICKLE_NANOS = 1_000_000;

    private final BatchDecoder decoder;
    private final Counters counters;
    /** Null: decode on the event loop. */
    private final DecodePool pool;
    private final ReadAhead readAhead;
    /** Decoded batches applied in the order they were read. */
    private final InOrderSequencer<BatchDecoder.Decoded> inOrder = new InOrderSequencer<>(this::applyOne);
    private List<ByteBuf> batch = new ArrayList<>();
    private int batchBytes;
    private int cycleBytes;
    /** What the batches {@link #applyOne} just applied release: read-ahead bytes, pooled batches (read by {@link #apply}). */
    private long released;
    private int pooledDone;

    BatchDispatcher(BatchParser parser, EventRouter router, Outputs outputs, Counters counters, DecodePool pool,
                 ReadAhead readAhead) {
        this.decoder = new BatchDecoder(parser, router, outputs);
        this.readAhead = readAhead;
        this.counters = counters;
        this.pool = pool;
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
        if (inOrder.idle() || batchBytes >= INLINE_BYTES) {
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
            }, TRICKLE_NANOS, TimeUnit.NANOSECONDS);
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
        boolean nothingInFlight = inOrder.idle();
        long seq = inOrder.begin();
        String connection = ctx.channel().id().asShortText();
        if (pool == null || (nothingInFlight && bytes < INLINE_BYTES)) {
            BatchDecoder.Decoded r = decoder.decode(connection, chunks);
            r.bytes = bytes;
            apply(ctx, seq, r);
            return;
        }
        pool.submit(() -> {
            BatchDecoder.Decoded r = decoder.decode(connection, chunks);
            r.bytes = bytes;
            r.pooled = true;
            // always, so later batches are never held up
            ctx.executor().execute(Fatal.guarded("applying a batch", () -> apply(ctx, seq, r)));
        });
    }

    /** On the event loop: applies the finished batches in order (counts, then offers to the outputs). */
    private void apply(ChannelHandlerContext ctx, long seq, BatchDecoder.Decoded r) {
        released = 0;
        pooledDone = 0;
        inOrder.finish(seq, r);
        long bytes = released; // read before submit, which may apply (and count) a batch of its own
        int pooled = pooledDone;
        if (bytes > 0) {
            readAhead.release(bytes);
        }
        if (inOrder.idle()) {
            submit(ctx); // the small reads gathered while those were in flight
        }
        for (int i = 0; i < pooled; i++) {
            pool.completed(); // after the gathered batch was submitted, so the pool is never idle in between
        }
    }

    private void applyOne(BatchDecoder.Decoded next) {
        next.forwarded.offer();
        next.tally.addTo(counters);
        released += next.bytes;
        pooledDone += next.pooled ? 1 : 0;
    }
}

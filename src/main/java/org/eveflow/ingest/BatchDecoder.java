package org.eveflow.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import org.eveflow.event.EveEvent;
import org.eveflow.output.Outputs;

/**
 * Decodes and routes one connection's lines on the {@link DecodePool} instead of the event loop:
 * lines are gathered into batches (per read, at most {@value #MAX_LINES} lines or
 * {@value #MAX_BYTES} bytes), batches are decoded and aggregated in parallel, and their results
 * (counters, raw lines for the outputs) are applied back on the event loop strictly in batch order,
 * so each output sees this connection's lines in the order they arrived. With
 * {@value #MAX_IN_FLIGHT} batches in flight reading pauses (back-pressure to the writer) until one
 * is applied, so memory stays bounded (by that many batches plus one read's worth of lines).
 * One instance per connection; its state is confined to the event loop.
 */
final class BatchDecoder extends ChannelInboundHandlerAdapter {
    private static final org.eveflow.stats.RateLimitedLog BUGS = new org.eveflow.stats.RateLimitedLog(
            org.slf4j.LoggerFactory.getLogger(BatchDecoder.class), 10_000);
    static final int MAX_LINES = 512;
    static final int MAX_BYTES = 512 * 1024;
    static final int MAX_IN_FLIGHT = 4;

    private final EveDecoder decoder;
    private final EventRouter router;
    private final Outputs outputs;
    private final DecodePool pool;
    private List<ByteBuf> batch = new ArrayList<>();
    private int batchBytes;
    private long submitted;
    private long applied;
    /** Finished batches waiting for their predecessors, by sequence number. */
    private final java.util.HashMap<Long, Result> done = new java.util.HashMap<>();

    BatchDecoder(EveDecoder decoder, EventRouter router, Outputs outputs, DecodePool pool) {
        this.decoder = decoder;
        this.router = router;
        this.outputs = outputs;
        this.pool = pool;
    }

    /** What a batch produced: each line's event (null if malformed) and its copy if it is forwarded. */
    private static final class Result {
        final EveEvent[] events;
        final ByteBuf[] copies;

        Result(int n) {
            events = new EveEvent[n];
            copies = new ByteBuf[n];
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf line = (ByteBuf) msg;
        batch.add(line);
        batchBytes += line.readableBytes();
        if (batch.size() >= MAX_LINES || batchBytes >= MAX_BYTES) {
            submit(ctx);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        submit(ctx);
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
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!decoder.countedOversized(ctx, cause)) {
            ctx.fireExceptionCaught(cause);
        }
    }

    private void submit(ChannelHandlerContext ctx) {
        if (batch.isEmpty()) {
            return;
        }
        List<ByteBuf> lines = batch;
        batch = new ArrayList<>();
        batchBytes = 0;
        long seq = submitted++;
        if (submitted - applied >= MAX_IN_FLIGHT) {
            ctx.channel().config().setAutoRead(false);
        }
        String connection = ctx.channel().id().asShortText();
        pool.submit(() -> {
            Result r = decode(connection, lines);
            ctx.executor().execute(() -> apply(ctx, seq, r)); // always, so later batches are never held up
        });
    }

    /** On a pool thread: decode, copy the lines to forward, aggregate the flows (one lock per stripe); releases the lines. */
    private Result decode(String connection, List<ByteBuf> lines) {
        Result r = new Result(lines.size());
        try {
            decoder.parseAllOrWarn(connection, lines, r.events);
            for (int i = 0; i < lines.size(); i++) {
                EveEvent e = r.events[i];
                if (e != null && router.forwards(e)) {
                    r.copies[i] = outputs.copy(lines.get(i), router.insertFor(e));
                }
            }
        } catch (RuntimeException unexpected) {
            // a bug, not bad input: the batch's lines count as malformed and the batch still completes in order
            for (int i = 0; i < lines.size(); i++) {
                r.events[i] = null;
                if (r.copies[i] != null) {
                    r.copies[i].release();
                    r.copies[i] = null;
                }
            }
            BUGS.warn("unexpected error decoding a batch on connection {} (its lines counted malformed): {}",
                    connection, String.valueOf(unexpected));
        } finally {
            lines.forEach(ByteBuf::release);
        }
        try {
            router.aggregateAll(r.events);
        } catch (RuntimeException unexpected) {
            // a bug: log it, and still complete the batch so later batches and shutdown are not held up
            BUGS.warn("unexpected error aggregating a batch on connection {}: {}", connection, String.valueOf(unexpected));
        }
        return r;
    }

    /** On the event loop: applies finished batches in order (counts, then offers to the outputs). */
    private void apply(ChannelHandlerContext ctx, long seq, Result r) {
        done.put(seq, r);
        Result next;
        while ((next = done.remove(applied)) != null) {
            for (int i = 0; i < next.events.length; i++) {
                EveEvent e = next.events[i];
                ByteBuf copy = next.copies[i];
                if (e != null && copy != null) {
                    outputs.offerCopy(e.eventType(), copy);
                }
                decoder.count(e);
                if (e != null) {
                    router.count(e, copy != null);
                }
            }
            applied++;
            pool.completed();
        }
        if (!ctx.channel().config().isAutoRead() && submitted - applied < MAX_IN_FLIGHT) {
            ctx.channel().config().setAutoRead(true);
        }
    }
}

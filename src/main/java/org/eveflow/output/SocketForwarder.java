package org.eveflow.output;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eveflow.config.Config;
import org.eveflow.stats.OutputCounters;
import org.eveflow.stats.RateLimitedLog;
import org.eveflow.transport.Errors;
import org.eveflow.transport.UnixTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outgoing Unix socket: a reconnecting Netty client (capped exponential backoff with jitter, an
 * optional {@link ReconnectBudget}: once connecting has failed for reconnect-retries × 10 s without a
 * break, the output is disabled and the daemon is told, see {@link #onRetriesSpent}) fed from a bounded
 * buffer (lines and bytes) of direct buffers, each a raw line or a block of aggregate lines. Raw lines
 * are dropped newest-first when the buffer is full, or while aggregates wait for room (aggregates
 * outrank raw lines); aggregates wait for room instead, pacing the flush, until a deadline. Writes
 * happen only on the channel's event loop while the channel is writable, in batches with one flush
 * each. Lines whose write failed before any byte of them reached the kernel go back to the front of
 * the buffer, in order, for the next connection; a line cut by a dying connection is never re-sent
 * (no duplicates, no line split across connections). All counters count lines. Invariant: offered =
 * written + dropped + buffered + in flight. Offers are thread-safe; the buffer is guarded by
 * {@code lock}; connection state is confined to {@code loop}.
 */
public final class SocketForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(SocketForwarder.class);
    private static final long FIRST_BACKOFF_MS = 50;
    /** The connection's own outbound buffer: above HIGH it is not writable until it drains below LOW. */
    static final int LOW_WATER = 32 * 1024;
    static final int HIGH_WATER = 64 * 1024;
    /** Buffers (raw lines, or blocks of aggregate lines) per write batch. */
    private static final int BATCH_BUFFERS = 256;

    /** Replaced by {@link #reconfigure} (SIGHUP); only the type filter may differ between versions. */
    private volatile Config.Output config;
    private final OutputCounters counters;
    private final UnixTransport transport;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final RateLimitedLog connectWarnings = new RateLimitedLog(LOG, 30_000);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final LineQueue queue = new LineQueue();
    private int aggregatesWaiting;
    /** Set under {@code lock}; volatile because drainAndClose and connect read it without the lock. */
    private volatile boolean disabled;

    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile Channel channel;
    private volatile boolean closed;
    private long backoffMs = FIRST_BACKOFF_MS;
    private int failedAttempts;
    private final ReconnectBudget budget;
    private volatile Runnable onRetriesSpent = () -> { };
    private boolean everConnected;
    /** Lines whose write failed untouched, waiting to go back to the front of the buffer (loop only). */
    private final LineQueue unwritten = new LineQueue();
    /** {@code unwritten.lines()}, for the buffered-lines gauge (written on the loop only). */
    private volatile long unwrittenLines;

    public SocketForwarder(Config.Output config, UnixTransport transport, EventLoopGroup group,
                           OutputCounters counters) {
        this.config = config;
        this.transport = transport;
        this.counters = counters;
        this.loop = group.next();
        this.budget = new ReconnectBudget(config.reconnectRetries(), System::nanoTime);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER, HIGH_WATER))
                .handler(new Handler());
    }

    public Config.Output config() {
        return config;
    }

    /**
     * Takes a reloaded configuration of this output: its type filter (types, all, aggregates) applies
     * to the next line offered. Other settings (socket, buffer sizes, reconnect policy) need a restart;
     * returns the names of those that differ, which keep their old values.
     */
    public List<String> reconfigure(Config.Output next) {
        Config.Output old = config;
        List<String> ignored = new ArrayList<>();
        if (!old.socket().equals(next.socket())) {
            ignored.add("socket");
        }
        if (old.bufferLines() != next.bufferLines()) {
            ignored.add("buffer-lines");
        }
        if (old.bufferBytes() != next.bufferBytes()) {
            ignored.add("buffer-bytes");
        }
        if (!old.reconnectBackoffMax().equals(next.reconnectBackoffMax())) {
            ignored.add("reconnect-backoff-max");
        }
        if (old.reconnectRetries() != next.reconnectRetries()) {
            ignored.add("reconnect-retries");
        }
        config = new Config.Output(old.name(), old.socket(), next.types(), next.all(), next.aggregates(),
                old.bufferLines(), old.bufferBytes(), old.reconnectBackoffMax(), old.reconnectRetries());
        return ignored;
    }

    public OutputCounters counters() {
        return counters;
    }

    /** Called (on the output's event loop) when the reconnect budget is spent and the output disabled. */
    public void onRetriesSpent(Runnable action) {
        this.onRetriesSpent = action;
    }

    public void start() {
        loop.execute(this::connect);
    }

    /** Raw line in a direct buffer: takes ownership of {@code line} (released here if dropped). Never blocks. */
    public void offerRaw(ByteBuf line) {
        requireDirect(line);
        counters.offered.increment();
        int len = line.readableBytes();
        ReasonDropped reason = null;
        lock.lock();
        try {
            if (closed) {
                reason = ReasonDropped.SHUTDOWN;
            } else if (disabled) {
                reason = ReasonDropped.DISABLED;
            } else if (aggregatesWaiting > 0 || !hasRoom(1, len)) {
                reason = ReasonDropped.FULL;
            } else {
                enqueueLast(line, 1);
            }
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            drop(line, 1, reason);
            return;
        }
        scheduleDrain();
    }

    /**
     * A block of {@code lines} whole aggregate lines in a direct buffer: waits for room for all of them until
     * {@code deadlineNanos}, then drops them (counted). Takes ownership of {@code block}.
     */
    public void offerAggregates(ByteBuf block, int lines, long deadlineNanos) {
        requireDirect(block);
        counters.offered.add(lines);
        int len = block.readableBytes();
        ReasonDropped reason = null;
        lock.lock();
        try {
            aggregatesWaiting++;
            try {
                while (!closed && !disabled && !hasRoom(lines, len)) {
                    long wait = deadlineNanos - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    room.awaitNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                aggregatesWaiting--;
            }
            if (closed) {
                reason = ReasonDropped.SHUTDOWN;
            } else if (disabled) {
                reason = ReasonDropped.DISABLED;
            } else if (!hasRoom(lines, len)) {
                reason = ReasonDropped.SHUTDOWN; // only a shutdown deadline (or interrupt) ends the wait
            } else {
                enqueueLast(block, lines);
            }
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            drop(block, lines, reason);
            return;
        }
        scheduleDrain();
    }

    /**
     * Lines must be in direct memory: the transport copies a heap buffer before writing it, and a
     * failed write of that copy would leave no trace of how much of it the kernel had taken.
     */
    private static void requireDirect(ByteBuf b) {
        if (!b.isDirect()) {
            b.release();
            throw new IllegalArgumentException("output lines must be in a direct buffer");
        }
    }

    /** Lines meant for this output that could not be copied (no direct memory left): offered, and dropped as full. */
    public void dropUncopied(int lines) {
        counters.offered.add(lines);
        counters.droppedFull.add(lines);
    }

    private enum ReasonDropped { FULL, DISABLED, SHUTDOWN }

    private void drop(ByteBuf buf, int lines, ReasonDropped reason) {
        switch (reason) {
            case FULL: counters.droppedFull.add(lines); break;
            case DISABLED: counters.droppedDisabled.add(lines); break;
            default: counters.droppedShutdown.add(lines);
        }
        buf.release();
    }

    private boolean hasRoom(int lines, int len) {
        // An empty buffer always takes one line (or block), so one longer than buffer-bytes is not stuck forever.
        return queue.isEmpty()
                || (queue.lines() + lines <= config.bufferLines() && queue.bytes() + len <= config.bufferBytes());
    }

    private void enqueueLast(ByteBuf buf, int lines) {
        queue.addLast(buf, lines);
        updateGauges();
    }

    private void updateGauges() {
        counters.bufferedLines.set(queue.lines() + unwrittenLines);
        counters.bufferedBytes.set(queue.bytes());
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /** On the event loop: move buffered lines into the channel, in batches, while it is writable. */
    private void drain() {
        drainScheduled.set(false);
        requeueUnwritten();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        ByteBuf[] batch = new ByteBuf[BATCH_BUFFERS];
        int[] lines = new int[BATCH_BUFFERS];
        boolean wrote = false;
        while (ch.isWritable()) {
            int n = 0;
            long bytes = 0;
            long batchLines = 0;
            lock.lock();
            try {
                while (n < BATCH_BUFFERS && bytes < HIGH_WATER && !queue.isEmpty()) {
                    lines[n] = queue.firstLines();
                    batchLines += lines[n];
                    ByteBuf b = queue.pollFirst();
                    batch[n++] = b;
                    bytes += b.readableBytes();
                }
                counters.inFlight.addAndGet(batchLines); // before the gauge drops: never seen as neither
                updateGauges();
                if (n > 0) {
                    room.signalAll();
                }
            } finally {
                lock.unlock();
            }
            if (n == 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                ByteBuf b = batch[i];
                batch[i] = null;
                Written done = new Written(b, lines[i]); // notes where the lines start before any is sent
                ch.write(b.retain()).addListener(done);
            }
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
    }

    /**
     * Completion of one buffer's write (on the loop): its lines are counted as written, or, after a
     * failure, the lines the kernel took in whole count as written, a line it took only in part is
     * dropped (never re-sent, so never split across connections), and the untouched rest goes back
     * to the front of the buffer for the next connection (or is dropped at shutdown).
     */
    private final class Written implements ChannelFutureListener {
        private final ByteBuf buf;
        private final int lines;
        private final int start;

        Written(ByteBuf buf, int lines) {
            this.buf = buf;
            this.lines = lines;
            this.start = buf.readerIndex();
        }

        @Override
        public void operationComplete(ChannelFuture f) {
            if (f.isSuccess()) {
                counters.written.add(lines);
            } else {
                failed();
            }
            counters.inFlight.addAndGet(-lines);
            buf.release();
        }

        private void failed() {
            FailedWrite w = FailedWrite.of(buf, start, buf.readerIndex() - start, lines);
            counters.written.add(w.whole());
            if (w.cut()) { // cut by the dying connection (or by the shutdown): never re-sent
                (closed ? counters.droppedShutdown : counters.droppedDisconnect).increment();
            }
            if (w.rest() > 0 && closed) {
                counters.droppedShutdown.add(w.rest()); // still in flight when the grace period ended
            } else if (w.rest() > 0) {
                // Not a byte of these reached the kernel: they go out first on the next connection.
                unwritten.addLast(buf.retainedSlice(w.restFrom(), buf.writerIndex() - w.restFrom()), w.rest());
                unwrittenLines = unwritten.lines();
                counters.bufferedLines.addAndGet(w.rest());
                if (unwritten.size() == 1) {
                    loop.execute(SocketForwarder.this::requeueUnwritten);
                }
            }
        }
    }

    /** Puts lines whose write failed untouched back at the front of the buffer, in their order. */
    private void requeueUnwritten() {
        if (unwritten.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            while (!unwritten.isEmpty()) {
                int n = unwritten.lastLines();
                ByteBuf b = unwritten.pollLast();
                if (closed || disabled) {
                    drop(b, n, closed ? ReasonDropped.SHUTDOWN : ReasonDropped.DISABLED);
                } else {
                    queue.addFirst(b, n);
                }
            }
            unwrittenLines = 0;
            updateGauges();
        } finally {
            lock.unlock();
        }
    }

    private void connect() {
        if (closed || disabled) {
            return;
        }
        bootstrap.connect(transport.address(config.socket())).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                return; // channelActive takes over
            }
            failedAttempts++;
            counters.connectFailures.increment();
            if (budget.failed()) {
                disable(f.cause());
                onRetriesSpent.run();
                return;
            }
            connectWarnings.warn("output {}: cannot connect to {} ({}); lines are buffered, retrying",
                    config.name(), config.socket(), Errors.describeConnect(config.socket(), f.cause()));
            scheduleReconnect();
        });
    }

    /** Retry limit reached: drop the buffer and everything offered from now on (counted); keep running. */
    private void disable(Throwable cause) {
        long dropped;
        lock.lock();
        try {
            disabled = true;
            dropped = dropBuffered(counters.droppedDisabled);
            counters.disabled.set(1);
        } finally {
            lock.unlock();
        }
        LOG.error("output {}: disabled: connecting to {} failed for {} ms without a break ({} attempts, "
                + "reconnect-retries {} = {} s; last error: {}); {} buffered lines dropped, later lines for it are "
                + "dropped and counted (output_dropped_disabled)", config.name(), config.socket(),
                budget.outageMillis(), failedAttempts, config.reconnectRetries(), config.reconnectRetries() * 10,
                Errors.describeConnect(config.socket(), cause), dropped);
    }

    /** Under {@code lock}: releases every buffered line, counts them as {@code reason}, wakes waiters. */
    private long dropBuffered(java.util.concurrent.atomic.LongAdder reason) {
        long dropped = queue.lines();
        for (ByteBuf b; (b = queue.pollFirst()) != null; ) {
            b.release();
        }
        updateGauges();
        reason.add(dropped);
        room.signalAll();
        return dropped;
    }

    private void scheduleReconnect() {
        if (closed || disabled) {
            return;
        }
        long delay = backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 4 + 1);
        backoffMs = Math.min(backoffMs * 2, config.reconnectBackoffMax().toMillis());
        loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Whether everything offered so far has been written or dropped (nothing buffered or in flight). */
    public boolean idle() {
        lock.lock();
        try {
            return queue.isEmpty() && counters.inFlight.get() == 0 && counters.bufferedLines.get() == 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the buffer is written out or the deadline passes, then closes: what is still
     * buffered is counted as dropped at shutdown. Returns the number of lines dropped here.
     */
    public long drainAndClose(long deadlineNanos) throws InterruptedException {
        scheduleDrain();
        while (!idle() && !disabled && System.nanoTime() - deadlineNanos < 0) {
            Thread.sleep(5);
        }
        long shutdownDropsBefore = counters.droppedShutdown.sum();
        long dropped;
        lock.lock();
        try {
            closed = true;
            dropped = dropBuffered(counters.droppedShutdown);
        } finally {
            lock.unlock();
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close().await(1, TimeUnit.SECONDS);
        }
        loop.submit(this::requeueUnwritten).await(1, TimeUnit.SECONDS); // counts late failures as shutdown drops
        long lost = counters.droppedShutdown.sum() - shutdownDropsBefore;
        if (lost > 0) {
            LOG.warn("output {}: {} lines could not be written before the shutdown grace period ended",
                    config.name(), lost);
        }
        return dropped;
    }

    /** Connection events of the current client channel (one at a time, all on {@code loop}). */
    @ChannelHandler.Sharable
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            backoffMs = FIRST_BACKOFF_MS;
            failedAttempts = 0;
            budget.connected();
            if (everConnected) {
                counters.reconnects.increment();
            }
            everConnected = true;
            LOG.info("output {}: connected to {}", config.name(), config.socket());
            drain();
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                drain();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // readers do not talk back; ignore what they send
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (channel == ctx.channel()) {
                channel = null;
            }
            if (!closed) {
                LOG.warn("output {}: connection to {} lost; lines are buffered, reconnecting",
                        config.name(), config.socket());
                scheduleReconnect();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            connectWarnings.warn("output {}: {}", config.name(), Errors.describe(cause));
            ctx.close();
        }
    }
}

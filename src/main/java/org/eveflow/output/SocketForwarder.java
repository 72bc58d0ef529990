package org.eveflow.output;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eveflow.config.Config;
import org.eveflow.stats.OutputCounters;
import org.eveflow.stats.RateLimitedLog;
import org.eveflow.transport.UnixTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outgoing Unix socket: a reconnecting Netty client (capped exponential backoff with jitter)
 * fed from a bounded buffer (lines and bytes). Raw lines are dropped newest-first when the buffer is
 * full, or while an aggregate waits for room (aggregates outrank raw lines); aggregates wait for room
 * instead (pacing the flush) until a deadline. Writes happen only on the channel's event loop, while
 * the channel is writable, one flush per batch. Invariant: offered = written + dropped + buffered +
 * in flight. Offers are thread-safe; the buffer is guarded by {@code lock}.
 */
public final class SocketForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(SocketForwarder.class);
    private static final long FIRST_BACKOFF_MS = 50;

    private final Config.Output config;
    private final OutputCounters counters;
    private final UnixTransport transport;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final RateLimitedLog connectWarnings = new RateLimitedLog(LOG, 30_000);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queuedBytes;
    private int aggregatesWaiting;

    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ChannelFutureListener onWritten = this::written;
    private volatile Channel channel;
    private volatile boolean closed;
    private long backoffMs = FIRST_BACKOFF_MS;
    private boolean everConnected;

    public SocketForwarder(Config.Output config, UnixTransport transport, EventLoopGroup group,
                           OutputCounters counters) {
        this.config = config;
        this.transport = transport;
        this.counters = counters;
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new Handler());
    }

    public Config.Output config() {
        return config;
    }

    public OutputCounters counters() {
        return counters;
    }

    public void start() {
        loop.execute(this::connect);
    }

    /** Raw line: takes ownership of {@code line} (released here if dropped). Never blocks. */
    public void offerRaw(ByteBuf line) {
        counters.offered.increment();
        int len = line.readableBytes();
        lock.lock();
        try {
            if (!closed && aggregatesWaiting == 0 && hasRoom(len)) {
                enqueue(line, len);
                line = null;
            }
        } finally {
            lock.unlock();
        }
        if (line != null) {
            (closed ? counters.droppedShutdown : counters.droppedFull).increment();
            line.release();
            return;
        }
        scheduleDrain();
    }

    /** Aggregate line: waits for room until {@code deadlineNanos}, then drops it (counted). */
    public void offerAggregate(ByteBuf line, long deadlineNanos) {
        counters.offered.increment();
        int len = line.readableBytes();
        boolean queued = false;
        lock.lock();
        try {
            aggregatesWaiting++;
            try {
                while (!closed && !hasRoom(len)) {
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
            if (!closed && hasRoom(len)) {
                enqueue(line, len);
                queued = true;
            }
        } finally {
            lock.unlock();
        }
        if (!queued) {
            (closed ? counters.droppedShutdown : counters.droppedFull).increment();
            line.release();
            return;
        }
        scheduleDrain();
    }

    private boolean hasRoom(int len) {
        // An empty buffer always takes one line, so a line longer than buffer-bytes is not stuck forever.
        return queue.isEmpty() || (queue.size() < config.bufferLines() && queuedBytes + len <= config.bufferBytes());
    }

    private void enqueue(ByteBuf line, int len) {
        queue.addLast(line);
        queuedBytes += len;
        counters.bufferedLines.set(queue.size());
        counters.bufferedBytes.set(queuedBytes);
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /** On the event loop: move buffered lines into the channel while it is writable. */
    private void drain() {
        drainScheduled.set(false);
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        int batch = 0;
        while (ch.isWritable()) {
            ByteBuf b;
            lock.lock();
            try {
                b = queue.pollFirst();
                if (b == null) {
                    break;
                }
                queuedBytes -= b.readableBytes();
                counters.bufferedLines.set(queue.size());
                counters.bufferedBytes.set(queuedBytes);
                room.signalAll();
            } finally {
                lock.unlock();
            }
            counters.inFlight.incrementAndGet();
            ch.write(b).addListener(onWritten);
            batch++;
        }
        if (batch > 0) {
            ch.flush();
        }
    }

    private void written(ChannelFuture f) {
        counters.inFlight.decrementAndGet();
        if (f.isSuccess()) {
            counters.written.increment();
        } else {
            counters.droppedDisconnect.increment();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        bootstrap.connect(transport.address(config.socket())).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                return; // channelActive takes over
            }
            connectWarnings.warn("output {}: cannot connect to {} ({}); lines are buffered, retrying",
                    config.name(), config.socket(), f.cause().getMessage());
            scheduleReconnect();
        });
    }

    private void scheduleReconnect() {
        if (closed) {
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
            return queue.isEmpty() && counters.inFlight.get() == 0;
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
        while (!idle() && System.nanoTime() - deadlineNanos < 0) {
            Thread.sleep(5);
        }
        long dropped;
        lock.lock();
        try {
            closed = true;
            dropped = queue.size();
            for (ByteBuf b; (b = queue.pollFirst()) != null; ) {
                b.release();
            }
            queuedBytes = 0;
            counters.bufferedLines.set(0);
            counters.bufferedBytes.set(0);
            counters.droppedShutdown.add(dropped);
            room.signalAll();
        } finally {
            lock.unlock();
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close().await(1, TimeUnit.SECONDS);
        }
        if (dropped > 0 || counters.inFlight.get() > 0) {
            LOG.warn("output {}: {} lines could not be written before the shutdown grace period ended",
                    config.name(), dropped + counters.inFlight.get());
        }
        return dropped;
    }

    /** Connection events of the current client channel (one at a time, all on {@code loop}). */
    @io.netty.channel.ChannelHandler.Sharable
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            backoffMs = FIRST_BACKOFF_MS;
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
            connectWarnings.warn("output {}: {}", config.name(), String.valueOf(cause.getMessage()));
            ctx.close();
        }
    }
}

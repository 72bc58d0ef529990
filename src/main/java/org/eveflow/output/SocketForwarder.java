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
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.eveflow.config.Config;
import org.eveflow.config.Keys;
import org.eveflow.counters.OutputCounters;
import org.eveflow.log.Fatal;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.transport.Errors;
import org.eveflow.transport.UnixTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One output to a Unix socket: a reconnecting Netty client that writes its {@link OutputBuffer} into
 * the connection. When to reconnect is the {@link ReconnectPolicy}'s (backoff with jitter; once the
 * reconnect budget is spent the output is disabled and {@link #onFailed} runs). Writes happen only on
 * the channel's event loop while the channel is writable, in batches with one flush each; a write's
 * completion counts its lines written. Lines whose write failed before any byte of them reached the
 * kernel go back to the front of the buffer, in order, for the next connection; a line cut by a dying
 * connection is never re-sent (no duplicates, no line split across connections). All counters count
 * lines. Invariant 3: offered = written + dropped + buffered + in flight. Offers are thread-safe (the
 * buffer's); connection state is confined to {@code loop}.
 */
public final class SocketForwarder implements Output {
    private static final Logger LOG = LoggerFactory.getLogger(SocketForwarder.class);
    /** Buffers taken from the output buffer per write batch (each a block of raw or of aggregate lines). */
    private static final int BATCH_BUFFERS = 256;

    private volatile Config.Output config;
    private final OutputCounters counters;
    private final OutputBuffer buffer;
    private final UnixTransport transport;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final RateLimitedLog connectWarnings = new RateLimitedLog(LOG, 30_000);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ReconnectPolicy reconnect;
    private volatile Channel channel;
    /** The daemon's input socket, or null (tests): never a reader. */
    private final Path inputSocket;
    private volatile Runnable onFailed = () -> { };
    private boolean everConnected;

    public SocketForwarder(Config.Output config, UnixTransport transport, EventLoopGroup group,
                           OutputCounters counters) {
        this(config, transport, group, counters, null);
    }

    /** With the daemon's {@code inputSocket}, which this output refuses to connect to by any path. */
    public SocketForwarder(Config.Output config, UnixTransport transport, EventLoopGroup group,
                           OutputCounters counters, Path inputSocket) {
        this.inputSocket = inputSocket;
        this.config = config;
        this.transport = transport;
        this.counters = counters;
        this.buffer = new OutputBuffer(config.bufferLines(), config.bufferBytes(), counters);
        this.loop = group.next();
        this.reconnect = new ReconnectPolicy(config.get(Keys.RECONNECT_BACKOFF_MIN), config.reconnectBackoffMax(),
                config.reconnectRetries(), System::nanoTime,
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.clientChannel())
                // a Unix socket's connect never waits (a full backlog is EAGAIN at once): a bound for safety only
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLow(), config.writeBufferHigh()))
                .handler(new Handler());
    }

    @Override
    public Config.Output config() {
        return config;
    }

    /** The water marks of the live connection, or null when there is none (for tests). */
    WriteBufferWaterMark connectionWaterMark() {
        Channel ch = channel;
        return ch == null ? null : ch.config().getWriteBufferWaterMark();
    }

    /** Only the type filter changes: socket, buffer and reconnect settings stay until a restart. */
    @Override
    public void reconfigure(Config.Output reloaded) {
        config = config.reloadedWith(reloaded);
    }

    @Override
    public OutputCounters counters() {
        return counters;
    }

    /** Called (on the output's event loop) when the reconnect budget is spent and the output disabled. */
    @Override
    public void onFailed(Runnable action) {
        this.onFailed = action;
    }

    @Override
    public void start() {
        loop.execute(this::connect);
    }

    /**
     * A block of {@code lines} whole raw lines in a direct buffer: takes ownership of {@code block}
     * (released here if dropped). Never blocks.
     */
    @Override
    public void offerRaw(ByteBuf block, int lines) {
        requireDirect(block);
        if (buffer.offerRaw(block, lines)) {
            scheduleDrain();
        }
    }

    /**
     * A block of {@code lines} whole aggregate lines in a direct buffer: waits for room for all of them until
     * the deadline, then drops them (counted). Takes ownership of {@code block}.
     */
    @Override
    public void offerAggregates(ByteBuf block, int lines, LongSupplier deadline) {
        requireDirect(block);
        if (buffer.offerAggregates(block, lines, deadline)) {
            scheduleDrain();
        }
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

    @Override
    public void dropUncopied(int lines) {
        buffer.dropUncopied(lines);
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /** On the event loop: move buffered lines into the channel, in batches, while it is writable. */
    private void drain() {
        drainScheduled.set(false);
        buffer.requeuePutBack();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        ByteBuf[] batch = new ByteBuf[BATCH_BUFFERS];
        int[] lines = new int[BATCH_BUFFERS];
        boolean wrote = false;
        while (ch.isWritable()) {
            int n = buffer.takeBatch(batch, lines, BATCH_BUFFERS, config.writeBufferHigh());
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
            boolean closed = buffer.closed();
            if (w.cut()) { // cut by the dying connection (or by the shutdown): never re-sent
                (closed ? counters.droppedShutdown : counters.droppedDisconnect).increment();
            }
            if (w.rest() > 0 && closed) {
                counters.droppedShutdown.add(w.rest()); // still in flight when the grace period ended
            } else if (w.rest() > 0) {
                // Not a byte of these reached the kernel: they go out first on the next connection.
                if (buffer.putBack(buf.retainedSlice(w.restFrom(), buf.writerIndex() - w.restFrom()), w.rest())) {
                    loop.execute(buffer::requeuePutBack);
                }
            }
        }
    }

    private void connect() {
        if (buffer.closed() || buffer.disabled()) {
            return;
        }
        String self = ListenerCheck.selfFeed(config.socket(), inputSocket);
        if (self != null) {
            refused(self);
            return;
        }
        bootstrap.connect(transport.address(config.socket())).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                return; // channelActive takes over
            }
            counters.connectFailures.increment();
            if (reconnect.attemptFailed()) {
                disable(f.cause());
                onFailed.run();
                return;
            }
            // FEVER's words and keys (log monitors match on them), then which output and what happens
            connectWarnings.warn(Map.of("output", config.name(), "retry", reconnect.failedAttempts(),
                    "maxretries", config.reconnectRetries()), "error connecting to output socket, retrying: {}"
                    + " (output {}: {}; lines are buffered)", Errors.describeConnect(config.socket(), f.cause()),
                    config.name(), config.socket());
            scheduleReconnect();
        });
    }

    /** Retry limit reached: drop the buffer and everything offered from now on (counted); keep running. */
    private void disable(Throwable cause) {
        long dropped = buffer.disable();
        // FEVER's fatal line (eveflow then stops with exit code 1, as FEVER does), with what was dropped
        LOG.atError().addMarker(Fatal.MARKER).addKeyValue("output", config.name())
                .addKeyValue("retries", reconnect.failedAttempts())
                .log("permanent error connecting to output socket: {} (output {} disabled: connecting to {} failed"
                + " for {} ms without a break, {} attempts, reconnect-retries {} = {} s); {} buffered lines dropped,"
                + " later lines for it are dropped and counted (output_dropped_disabled)",
                Errors.describeConnect(config.socket(), cause), config.name(), config.socket(),
                reconnect.outageMillis(), reconnect.failedAttempts(), config.reconnectRetries(),
                config.reconnectRetries() * 10, dropped);
    }

    /** Marks a connection that {@link #refuse} closed: its end is not a lost connection. */
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("eveflow.refused");

    /**
     * A listener that may not have the lines (ListenerCheck): closed before a byte is written, logged,
     * counted, and treated as a failed connect (backoff, reconnect budget); the lines stay buffered.
     */
    private void refuse(Channel ch, String why) {
        ch.attr(REFUSED).set(Boolean.TRUE);
        ch.close();
        refused(why);
    }

    /** A listener refused, before or after connecting to it. */
    private void refused(String why) {
        counters.listenerRefused.increment();
        counters.connectFailures.increment();
        connectWarnings.warn(Map.of("output", config.name()),
                "output {}: refusing the connection to {}: {} (counted in output_listener_refused)",
                config.name(), config.socket(), why);
        if (reconnect.attemptFailed()) {
            disable(new IOException("refused listener: " + why));
            onFailed.run();
            return;
        }
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        if (buffer.closed() || buffer.disabled()) {
            return;
        }
        loop.schedule(this::connect, reconnect.nextDelayMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean idle() {
        return buffer.idle();
    }

    /**
     * Waits until the buffer is written out or the deadline passes, then closes: what is still
     * buffered is counted as dropped at shutdown. Returns the number of lines dropped here.
     */
    @Override
    public long drainAndClose(long deadlineNanos) throws InterruptedException {
        scheduleDrain();
        while (!idle() && !buffer.disabled() && System.nanoTime() - deadlineNanos < 0) {
            Thread.sleep(5);
        }
        long shutdownDropsBefore = counters.droppedShutdown.sum();
        long dropped = buffer.close();
        Channel ch = channel;
        if (ch != null) {
            ch.close().await(1, TimeUnit.SECONDS);
        }
        loop.submit(buffer::requeuePutBack).await(1, TimeUnit.SECONDS); // counts late failures as shutdown drops
        long lost = counters.droppedShutdown.sum() - shutdownDropsBefore;
        if (lost > 0) {
            LOG.atWarn().addKeyValue("output", config.name()).log("output {}: {} lines could not be written before"
                    + " the shutdown grace period ended",
                    config.name(), lost);
        }
        return dropped;
    }

    /** Connection events of the current client channel (one at a time, all on {@code loop}). */
    @ChannelHandler.Sharable
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // the path again (it may have changed between the check before connecting and the connect)
            String refusal = ListenerCheck.selfFeed(config.socket(), inputSocket);
            if (refusal == null) {
                refusal = ListenerCheck.refusal(ctx.channel(), config.listenerUids());
            }
            if (refusal != null) {
                refuse(ctx.channel(), refusal);
                return;
            }
            channel = ctx.channel();
            counters.connected.set(1);
            int failed = reconnect.failedAttempts();
            reconnect.connected();
            if (everConnected) {
                counters.reconnects.increment();
            }
            everConnected = true;
            var connected = LOG.atInfo().addKeyValue("output", config.name());
            if (failed > 0) { // FEVER's key, where FEVER writes it
                connected = connected.addKeyValue("retry_attempts", failed);
            }
            connected.log("connection to output socket successful (output {}: {})", config.name(), config.socket());
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
            if (ctx.channel().hasAttr(REFUSED)) {
                return; // refuse() already decided what comes next
            }
            if (channel == ctx.channel()) {
                channel = null;
                counters.connected.set(0);
            }
            if (!buffer.closed()) {
                LOG.atWarn().addKeyValue("output", config.name()).log("output {}: connection to {} lost; lines are"
                        + " buffered, reconnecting", config.name(), config.socket());
                scheduleReconnect();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Fatal.ifFatal("output " + config.name(), cause);
            connectWarnings.warn(Map.of("output", config.name()), "output {}: {}", config.name(),
                    Errors.describe(cause));
            ctx.close();
        }
    }
}

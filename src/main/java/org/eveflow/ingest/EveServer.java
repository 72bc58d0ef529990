package org.eveflow.ingest;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eveflow.aggregate.FlowTable;
import org.eveflow.config.Config;
import org.eveflow.counters.Counters;
import org.eveflow.event.EveParser;
import org.eveflow.log.RateLimitedLog;
import org.eveflow.output.AddedFields;
import org.eveflow.output.Outputs;
import org.eveflow.transport.UnixTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listening Unix socket Suricata writes EVE lines into. Per connection: {@link ByteCounter} →
 * {@link EveLineFramer} on the ingest event loop, then {@link BatchDispatcher}, which decodes
 * ({@link BatchParser}) and routes ({@link EventRouter}) batches of lines on the {@link DecodePool} and
 * applies their results back on the event loop in order, → {@link Connections}. Stopping half-closes each
 * connection's input, so the writer's next send fails (Suricata then reconnects and re-sends), reads
 * what was already sent to EOF, then closes. Start/stop are called from one thread.
 */
public final class EveServer {
    /** What the input may hold read and not yet decoded, for all connections (off-heap). */
    public static final long READ_AHEAD_BYTES = ReadAhead.DEFAULT_LIMIT;
    private static final Logger LOG = LoggerFactory.getLogger(EveServer.class);

    private final Config.Input config;
    private final UnixTransport transport;
    private final EventLoopGroup group;
    private final Connections connections;
    private final ChannelInitializer<Channel> pipeline;
    private final DecodePool pool;
    private final Counters counters;
    private SocketFile socketFile;
    private Channel server;
    private Path sentinelPath;

    /**
     * {@code addFields} inserted into every forwarded line (FEVER's add-fields) and
     * {@code keyExtras} read into the aggregation key (aggregate.key).
     */
    public EveServer(Config.Input config, UnixTransport transport, EventLoopGroup group, FlowTable table,
                     Outputs outputs, Counters counters, DecodePool pool, AddedFields addFields,
                     List<String> keyExtras, StatsRecordSink suricataStats) {
        this.pool = pool;
        this.counters = counters;
        this.config = config;
        this.transport = transport;
        this.group = group;
        RateLimitedLog warnings = new RateLimitedLog(LoggerFactory.getLogger("org.eveflow.ingest.input"), 10_000);
        this.connections = new Connections(config.maxConnections(), config.allowedUids(),
                config.idleTimeout().toNanos(), counters, warnings);
        ByteCounter byteCounter = new ByteCounter(counters);
        BatchParser parser = new BatchParser(warnings, config.maxLineLength(),
                new EveParser(addFields.watched(), keyExtras));
        EventRouter router = new EventRouter(table, outputs, addFields, suricataStats);
        ReadAhead readAhead = new ReadAhead(READ_AHEAD_BYTES, counters);
        this.pipeline = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (!connections.admit(ch)) {
                    ch.close();
                    return;
                }
                ch.pipeline().addLast("bytes", byteCounter)
                        .addLast("framer", new EveLineFramer(config.maxLineLength(), counters, warnings))
                        .addLast("batches", new BatchDispatcher(parser, router, outputs, counters, pool, readAhead))
                        .addLast("connections", connections);
            }
        };
    }

    /** Claims the socket path (exit code 3 on conflict), binds, and starts accepting. */
    public void start() throws SocketInUseException, IOException, InterruptedException {
        start(OptionalInt.empty());
    }

    /**
     * Starts accepting: on the listening socket systemd passed ({@code inheritedFd}, socket
     * activation; never bound, never unlinked, and connections still queued at stop stay queued for
     * the next eveflow), or else on a socket of its own at the configured path.
     */
    public void start(OptionalInt inheritedFd) throws SocketInUseException, IOException, InterruptedException {
        if (inheritedFd.isPresent()) {
            adopt(inheritedFd.getAsInt());
            return;
        }
        if (!config.allowedUids().isEmpty() && transport != UnixTransport.EPOLL) {
            throw new IOException("input.allowed-uids needs the epoll transport (peer credentials), but "
                    + transport.name().toLowerCase(Locale.ROOT) + " is in use");
        }
        socketFile = SocketFile.claim(config.socket(), config.socketMode(), config.socketGroup());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(pipeline);
        try {
            server = b.bind(transport.address(socketFile.bindPath())).sync().channel();
        } catch (Exception e) {
            socketFile.abandon();
            throw new IOException("cannot listen on " + config.socket() + ": " + e.getMessage(), e);
        }
        try {
            socketFile.publish();
        } catch (SocketInUseException | IOException e) {
            server.close().sync();
            throw e;
        }
        LOG.info("listening on {} ({} transport, mode {}{}{})", config.socket(),
                transport.name().toLowerCase(Locale.ROOT), Integer.toOctalString(config.socketMode()),
                config.socketGroup() == null ? "" : ", group " + config.socketGroup(),
                config.allowedUids().isEmpty() ? "" : ", uids " + config.allowedUids());
    }

    private void adopt(int fd) throws IOException, InterruptedException {
        if (transport != UnixTransport.EPOLL) {
            throw new IOException("socket activation (LISTEN_FDS) needs the epoll transport, but "
                    + transport.name().toLowerCase(Locale.ROOT) + " is in use");
        }
        if (!config.allowedUids().isEmpty() || config.socketGroup() != null) {
            LOG.info("socket activation: the socket unit's SocketMode/SocketGroup apply; input.socket-group is not "
                    + "used{}", config.allowedUids().isEmpty() ? "" : " (input.allowed-uids still is)");
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channelFactory((ChannelFactory<ServerChannel>)
                        () -> new EpollServerDomainSocketChannel(fd, true))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(pipeline);
        try {
            server = b.register().sync().channel();
        } catch (Exception e) {
            throw new IOException("cannot use the socket inherited from systemd (fd " + fd + "): " + e.getMessage(), e);
        }
        if (!server.isRegistered() || !server.isActive()) {
            server.close();
            throw new IOException("the socket inherited from systemd (fd " + fd + ") is not a listening socket");
        }
        LOG.info("listening on the socket inherited from systemd (fd {}, socket activation; expected at {}), "
                + "epoll transport", fd, config.socket());
        warnIfOpenToEveryone(server.localAddress() instanceof DomainSocketAddress a
                ? Path.of(a.path()) : config.socket()); // a socket made from an fd may not know its path
    }

    /**
     * A socket eveflow binds itself with write for others is refused by the configuration unless
     * allowed; one systemd made is not eveflow's to change, so the same case is a warning.
     */
    private void warnIfOpenToEveryone(Path path) {
        if (!config.allowedUids().isEmpty() || config.openToOtherUsers()) {
            return;
        }
        try {
            Set<PosixFilePermission> mode =
                    Files.getPosixFilePermissions(path);
            if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                LOG.warn("the socket inherited from systemd, {}, has mode {}: every local user may connect and inject "
                        + "events (a socket eveflow binds itself is refused so); set SocketMode=0660 in the socket unit, "
                        + "or narrow the peers with input.allowed-uids", path,
                        PosixFilePermissions.toString(mode));
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot read the mode of the inherited socket {}: {}", path, e.getMessage());
        }
    }

    /** A connection of our own, queued behind every client still waiting to be accepted (epoll only). */
    private SocketChannel connectSentinel() {
        if (transport != UnixTransport.EPOLL || server == null || socketFile == null || !socketFile.isOurs()) {
            return null;
        }
        // bound to a name of its own, so a client of this same process (an in-process test) is never taken for it
        sentinelPath = config.socket().resolveSibling(".eveflow-" + ProcessHandle.current().pid() + ".stop");
        if (sentinelPath.toString().length() > 107) {
            sentinelPath = null;
        }
        connections.expectSentinel(sentinelPath == null ? null : sentinelPath.toString());
        try {
            SocketChannel c = SocketChannel.open(
                    StandardProtocolFamily.UNIX);
            if (sentinelPath != null) {
                Files.deleteIfExists(sentinelPath);
                c.bind(UnixDomainSocketAddress.of(sentinelPath));
            }
            c.connect(UnixDomainSocketAddress.of(config.socket()));
            return c;
        } catch (IOException e) {
            LOG.debug("no shutdown sentinel ({}); queued connections may be dropped", e.getMessage());
            return null;
        }
    }

    /**
     * Stops accepting and hands every live connection to the next instance instead of closing it (a
     * restart under systemd): each stops reading, every line it read is decoded and applied, and then
     * {@code keeper} gets its socket and the start of the line its last read ended inside. What is still
     * in the socket stays there for the next instance, which Suricata goes on writing into meanwhile.
     * A connection the keeper cannot take is closed as at a plain stop (its unfinished line counted
     * malformed). Returns how many were handed over.
     */
    public int handOver(long deadlineNanos) throws InterruptedException {
        Handover.Keeper keeper = connections.keeper();
        if (keeper == null) {
            stop(deadlineNanos);
            return 0;
        }
        stopAccepting(deadlineNanos);
        Map<Channel, Handover> leaving = new LinkedHashMap<>();
        for (Channel ch : connections.open()) {
            if (!(ch instanceof EpollDomainSocketChannel)) {
                continue;
            }
            Future<Handover> f = ch.eventLoop().submit(() -> {
                ch.attr(Handover.LEAVING).set(Boolean.TRUE);
                ch.config().setAutoRead(false);
                Handover h = Handover.take();
                ch.pipeline().fireUserEventTriggered(h); // the framer fills it in, the dispatcher submits
                return h;
            });
            if (f.await(5, TimeUnit.SECONDS) && f.isSuccess()) {
                leaving.put(ch, f.getNow());
            }
        }
        if (pool != null && !pool.awaitIdle(Math.max(deadlineNanos, System.nanoTime() + 5_000_000_000L))) {
            LOG.warn("lines read before the handover were still being decoded when the grace period ended");
        }
        int kept = 0;
        for (Map.Entry<Channel, Handover> e : leaving.entrySet()) {
            Channel ch = e.getKey();
            int fd = ((EpollDomainSocketChannel) ch).fd().intValue();
            String name = ch.attr(Connections.STORED_AS).get();
            if (ch.isOpen() && name != null && keeper.keep(fd, name, e.getValue())) {
                kept++;
                counters.connectionsHandedOver.increment();
            } else if (e.getValue().tail().length > 0) {
                counters.linesMalformed.increment(); // as endOfInput counts a line cut by the end of a connection
            }
            ch.close().await(5, TimeUnit.SECONDS); // our descriptor only: the kept socket lives on
        }
        readToEofAndClose(deadlineNanos); // any connection not handed over (not epoll's: none in practice)
        return kept;
    }

    /** The FDNAME of a kept connection starts with this; the listening socket's never does. */
    public static final String HANDOVER_PREFIX = "eveflow-conn-";

    /**
     * From now on every input connection is kept in {@code k} (systemd's fd store) from its admission
     * until this instance ends it, so that a restart or a crash leaves it open for the next instance;
     * {@link #handOver} gives {@code k} the rest. Call before {@link #start}.
     */
    public void keepConnectionsIn(Handover.Keeper k) {
        connections.keepIn(k);
    }

    /**
     * Takes a connection a previous instance left in the store ({@code fd}, an accepted socket, kept
     * as {@code name}), with the start of the line its last read ended inside ({@code held}: empty after
     * a crash) and what this instance read of it while it started ({@code early}): as an accepted one,
     * those bytes first, then its own reads. It stays in the store under its name.
     */
    public void adopt(int fd, String name, Handover held, byte[] early) throws IOException {
        EpollDomainSocketChannel ch = new EpollDomainSocketChannel(fd);
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.config().setAutoRead(false);
        ch.attr(Connections.STORED_AS).set(name);
        ch.pipeline().addLast(pipeline);
        try {
            group.register(ch).sync();
        } catch (Exception e) {
            ch.close();
            throw new IOException("cannot take the handed-over connection (fd " + fd + "): " + e.getMessage(), e);
        }
        ch.eventLoop().execute(() -> {
            if (!ch.isOpen()) { // refused (max-connections, uids): the initializer closed it
                Handover.Keeper k = connections.keeper();
                if (k != null) {
                    k.remove(name);
                }
                return;
            }
            ch.pipeline().fireUserEventTriggered(held);
            if (early.length > 0) {
                ch.pipeline().fireChannelRead(Unpooled.wrappedBuffer(early));
                ch.pipeline().fireChannelReadComplete();
            }
            counters.connectionsAdopted.increment();
            ch.config().setAutoRead(true);
        });
    }

    public int openConnections() {
        return connections.open().size();
    }

    /**
     * Stops accepting, half-closes every connection and waits (until the deadline) for each to read
     * to EOF and close; then closes whatever is left and removes the socket file we created.
     */
    public void stop(long deadlineNanos) throws InterruptedException {
        stopAccepting(deadlineNanos);
        readToEofAndClose(deadlineNanos);
    }

    /**
     * Takes no new connection: every one already in the listen queue is accepted first (the sentinel),
     * then the socket file we created is removed and the listener closed.
     */
    private void stopAccepting(long deadlineNanos) throws InterruptedException {
        SocketChannel sentinel = connectSentinel();
        if (socketFile != null) {
            socketFile.remove(); // no new connections from here on
        }
        if (sentinel != null) {
            // Connections still in the listen queue were accepted before the sentinel (FIFO), so no
            // client that connected and wrote before the stop is dropped unread with the listener.
            if (!connections.awaitSentinel(Math.max(0, deadlineNanos - System.nanoTime()))) {
                LOG.warn("connections queued at shutdown may not all have been accepted");
            }
            try {
                sentinel.close();
                if (sentinelPath != null) {
                    Files.deleteIfExists(sentinelPath);
                }
            } catch (IOException e) {
                LOG.debug("closing the shutdown sentinel: {}", e.getMessage());
            }
        }
        if (server != null) {
            server.close().await(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Half-closes every open connection and waits (until the deadline) for each to read to EOF and
     * close, closes what is left, and waits for the lines read to be decoded.
     */
    private void readToEofAndClose(long deadlineNanos) throws InterruptedException {
        for (Channel ch : connections.open()) {
            if (transport.readsQueuedDataAfterInputShutdown() && ch instanceof DuplexChannel) {
                ((DuplexChannel) ch).shutdownInput();
            } else {
                ch.close();
            }
        }
        while (!connections.open().isEmpty() && System.nanoTime() - deadlineNanos < 0) {
            Thread.sleep(5);
        }
        if (!connections.open().isEmpty()) {
            LOG.warn("{} input connections did not reach EOF within the grace period; closing them",
                    connections.open().size());
            connections.open().close().await(5, TimeUnit.SECONDS);
        }
        if (pool != null && !pool.awaitIdle(Math.max(deadlineNanos, System.nanoTime() + 5_000_000_000L))) {
            LOG.warn("lines read before the stop were still being decoded when the grace period ended");
        }
    }
}

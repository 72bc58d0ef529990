package org.eveflow.daemon;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eveflow.aggregate.FlowTable;
import org.eveflow.aggregate.FlushTask;
import org.eveflow.config.Config;
import org.eveflow.config.Durations;
import org.eveflow.ingest.DecodePool;
import org.eveflow.ingest.EveServer;
import org.eveflow.ingest.SocketInUseException;
import org.eveflow.output.Outputs;
import org.eveflow.output.SocketForwarder;
import org.eveflow.stats.Counters;
import org.eveflow.stats.Hostname;
import org.eveflow.stats.InfluxSink;
import org.eveflow.stats.LogSink;
import org.eveflow.stats.StatsReporter;
import org.eveflow.transport.UnixTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start and stop order of the parts. Start: outputs (they may connect later), flush schedule,
 * stats, then ingest. Stop (invariant 5): stop accepting and half-close inputs, read them to EOF,
 * final flush, drain outputs, final stats, remove the socket file; one shared grace deadline.
 * start/stop are called from one thread; {@link #counters()} may be read from any.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final Config config;
    private final Counters counters = new Counters();
    private final UnixTransport transport;
    private final EventLoopGroup ingestGroup;
    private final EventLoopGroup outputGroup;
    private final ScheduledExecutorService flushExecutor;
    private final ScheduledExecutorService statsExecutor;
    private final FlowTable table;
    private final FlushTask flushTask;
    private final Outputs outputs;
    private final StatsReporter stats;
    private final EveServer server;
    private final DecodePool decodePool;
    private boolean stopped;

    private Daemon(Config config) {
        this.config = config;
        this.transport = UnixTransport.choose(config.input().transport());
        this.ingestGroup = transport.newGroup(config.input().ioThreads(), "eveflow-ingest");
        this.outputGroup = transport.newGroup(1, "eveflow-output");
        this.flushExecutor = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "eveflow-flush"));
        this.statsExecutor = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "eveflow-stats"));
        List<SocketForwarder> forwarders = new ArrayList<>();
        for (Config.Output o : config.outputs()) {
            forwarders.add(new SocketForwarder(o, transport, outputGroup, counters.newOutput(o.name())));
        }
        this.outputs = new Outputs(forwarders, PooledByteBufAllocator.DEFAULT);
        Config.Aggregate ag = config.aggregate();
        this.table = new FlowTable(ag.maxKeys(), ag.srcPortsPerKey(), ag.srcPortsTotal(), counters);
        this.flushTask = new FlushTask(table, outputs, counters, flushExecutor);
        Config.Stats sc = config.stats();
        this.stats = new StatsReporter(counters, sc.influx() == null ? new LogSink()
                : new InfluxSink(sc, sc.host() != null ? sc.host() : Hostname.local(), counters));
        this.decodePool = config.input().decodeThreads() > 0 ? new DecodePool(config.input().decodeThreads()) : null;
        this.server = new EveServer(config.input(), transport, ingestGroup, table, outputs, counters, decodePool);
    }

    /** Starts everything; on failure everything already started is stopped again. */
    public static Daemon start(Config config) throws StartupException {
        Daemon d;
        try {
            d = new Daemon(config);
        } catch (IllegalStateException e) {
            throw new StartupException(2, e.getMessage(), e);
        }
        try {
            d.outputs.start();
            d.flushTask.start(config.aggregate().flushtime());
            d.stats.start(d.statsExecutor, config.stats().interval().toMillis());
            d.server.start();
        } catch (SocketInUseException e) {
            d.abort();
            throw new StartupException(3, e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            d.abort();
            throw new StartupException(1, e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.abort();
            throw new StartupException(1, "interrupted while starting", e);
        }
        LOG.info("eveflow started: flushtime {}, outputs {}", Durations.format(config.aggregate().flushtime()),
                config.outputs().isEmpty() ? "none" : describeOutputs(config.outputs()));
        return d;
    }

    private static String describeOutputs(List<Config.Output> outputs) {
        StringBuilder b = new StringBuilder();
        for (Config.Output o : outputs) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(o.name()).append('=').append(o.socket()).append(" (")
                    .append(o.all() ? "all types" : "types " + o.types())
                    .append(o.aggregates() ? ", aggregates" : "").append(')');
        }
        return b.toString();
    }

    public Counters counters() {
        return counters;
    }

    public Config config() {
        return config;
    }

    /** The orderly stop of invariant 5; idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        LOG.info("stopping: reading what clients already sent, then final flush (grace {})",
                Durations.format(config.shutdownGrace()));
        try {
            // Inputs get at most half the grace period, so the final flush always has time left.
            server.stop(System.nanoTime() + config.shutdownGrace().toNanos() / 2);
            if (!flushTask.finalFlush(deadline)) {
                LOG.warn("final flush did not finish within the grace period");
            }
            for (SocketForwarder f : outputs.forwarders()) {
                f.drainAndClose(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping");
        }
        // final report; its write gets what is left of the grace period, at least 1 s and at most 3 s
        long now = System.nanoTime();
        stats.stop(now + Math.max(1_000_000_000L, Math.min(deadline - now, 3_000_000_000L)));
        shutdownThreads();
        LOG.info("eveflow stopped");
    }

    /** A failed start: no final report, the stats sink is closed at once (its writer thread and client too). */
    private void abort() {
        stats.abandon();
        shutdownThreads();
    }

    private void shutdownThreads() {
        if (decodePool != null) {
            decodePool.shutdown();
        }
        flushExecutor.shutdownNow();
        statsExecutor.shutdownNow();
        ingestGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        outputGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

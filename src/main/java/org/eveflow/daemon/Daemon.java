package org.eveflow.daemon;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eveflow.aggregate.FlowTable;
import org.eveflow.aggregate.FlushTask;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigException;
import org.eveflow.config.Durations;
import org.eveflow.config.Secret;
import org.eveflow.counters.Counters;
import org.eveflow.counters.OutputCounters;
import org.eveflow.ingest.DecodePool;
import org.eveflow.ingest.EveServer;
import org.eveflow.ingest.Handover;
import org.eveflow.ingest.SocketInUseException;
import org.eveflow.log.Logging;
import org.eveflow.output.AddedFields;
import org.eveflow.output.Output;
import org.eveflow.output.Outputs;
import org.eveflow.output.SocketForwarder;
import org.eveflow.stats.InfluxSink;
import org.eveflow.stats.LogSink;
import org.eveflow.stats.PrometheusEndpoint;
import org.eveflow.stats.Sample;
import org.eveflow.stats.StatsReporter;
import org.eveflow.stats.StatsSink;
import org.eveflow.stats.SuricataStats;
import org.eveflow.transport.Errors;
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

    /** What is in effect: the start configuration with what SIGHUP reloads applied. */
    private volatile Config config;
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
    private final SuricataStats suricataStats;
    private final EveServer server;
    private final DecodePool decodePool;
    private final OptionalInt inheritedSocket;
    /** systemd's fd store, when the unit gives one: restarts hand the input connections on through it. */
    private final FdStore fdStore;
    /** The scrape endpoint (stats.prometheus), or null when off. */
    private PrometheusEndpoint prometheus;
    private SdNotify notify;
    private ScheduledFuture<?> watchdog;
    private Sample lastStatus;
    /** READY=1 sent and STOPPING=1 not yet: only then STATUS= and WATCHDOG=1 (systemd reads them in order). */
    private volatile boolean running;
    private boolean stopped;

    private Daemon(Config config) {
        this.config = config;
        counters.countLogFailuresFrom(Logging::failures);
        this.transport = UnixTransport.choose(config.input().transport());
        this.ingestGroup = transport.newGroup(config.input().ioThreads(), "eveflow-ingest");
        this.outputGroup = transport.newGroup(1, "eveflow-output");
        this.flushExecutor = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "eveflow-flush"));
        this.statsExecutor = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "eveflow-stats"));
        List<Output> outputList = new ArrayList<>();
        for (Config.Output o : config.outputs()) {
            outputList.add(new SocketForwarder(o, transport, outputGroup, counters.newOutput(o.name()),
                    config.input().socket()));
        }
        this.outputs = new Outputs(outputList, PooledByteBufAllocator.DEFAULT);
        Config.Aggregate ag = config.aggregate();
        this.table = new FlowTable(ag.maxKeys(), ag.srcPortsPerKey(), ag.srcPortsTotal(), counters);
        AddedFields addFields = new AddedFields(config.addFields());
        this.flushTask = new FlushTask(table, outputs, counters, flushExecutor, addFields.forAggregates());
        this.stats = new StatsReporter(counters, statsSink(config.stats(), counters));
        flushTask.onFlushed(stats::flushed);
        this.decodePool = config.input().decodeThreads() > 0 ? new DecodePool(config.input().decodeThreads()) : null;
        this.suricataStats = new SuricataStats(config.stats(), counters, stats);
        this.server = new EveServer(config.input(), transport, ingestGroup, table, outputs, counters, decodePool,
                addFields, config.aggregate().keyExtras(), suricataStats::offer);
        this.inheritedSocket = ListenFds.inherited(System.getenv(), ProcessHandle.current().pid());
        this.fdStore = FdStore.fromEnvironment(System.getenv());
    }

    private static StatsSink statsSink(Config.Stats sc, Counters counters) {
        return sc.influx() == null ? new LogSink()
                : new InfluxSink(sc, sc.host() != null ? sc.host() : Hostname.local(), sc.host() != null
                        ? new InfluxSink.FeverHosts(sc::host, sc::host)
                        : new InfluxSink.FeverHosts(Hostname::feverPoints, Hostname::feverProfiles), counters);
    }

    /**
     * Refuses what a component would refuse when it is made from {@code config} with the very parser
     * it uses (today the InfluxDB client's URL parser), so check-config, a start and a reload refuse it
     * as invalid configuration (exit 2, or the running configuration kept) instead of failing later.
     */
    public static void check(Config config) throws ConfigException {
        if (config.stats().influx() != null) {
            InfluxSink.check(config.stats().influx());
        }
    }

    /** Starts everything; on failure everything already started is stopped again. */
    public static Daemon start(Config configured) throws StartupException {
        return start(configured, () -> { });
    }

    /**
     * Starts everything, and calls {@code onOutputFailed} (from an output's event loop) when an output
     * has spent its reconnect budget and is disabled: {@code run} then stops the daemon and exits 1, as
     * FEVER does, so that systemd restarts it.
     */
    public static Daemon start(Config configured, Runnable onOutputFailed) throws StartupException {
        JvmFit fitted = JvmFit.ofThisJvm(configured);
        Config config = fitted.config();
        // before the socket appears: a client that connects sees them logged
        fitted.notes().forEach(n -> LOG.info("{}", n));
        fitted.warnings().forEach(w -> LOG.warn("{}", w));
        String senderBuffer = SenderBuffer.advice(SenderBuffer.WMEM_DEFAULT);
        if (senderBuffer != null) {
            LOG.info(senderBuffer);
        }
        Daemon d;
        try {
            d = new Daemon(config);
        } catch (IllegalStateException e) {
            throw new StartupException(2, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StartupException(1, Secret.redactText(String.valueOf(e.getMessage())), e);
        }
        for (Output f : d.outputs.all()) {
            f.onFailed(onOutputFailed);
        }
        try {
            d.notify = SdNotify.fromEnvironment(System.getenv(),
                    d.transport == UnixTransport.EPOLL ? d.ingestGroup : null);
            if (d.fdStore != null) {
                d.server.keepConnectionsIn(d.fdStore); // from the first connection: a crash leaves them open too
            }
            d.prometheus = startPrometheus(d, config); // first: a taken address stops the start, exit 2
            d.server.start(d.inheritedSocket); // a socket in use stops the start before anything else runs
            d.adoptHandedOver();
            d.outputs.start();
            d.flushTask.start(config.aggregate().flushtime());
            d.stats.addListener(d::status);
            d.stats.start(d.statsExecutor, config.stats().interval().toMillis());
        } catch (StartupException e) {
            d.abort();
            throw e;
        } catch (SocketInUseException e) {
            d.abort();
            throw new StartupException(3, e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            d.abort();
            String where = e instanceof FileSystemException fs && fs.getFile() != null
                    ? fs.getFile() + ": " : "";
            throw new StartupException(1, Secret.redactText(where + Errors.describe(e)), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            d.abort();
            throw new StartupException(1, "interrupted while starting", e);
        }
        LOG.info("eveflow started: transport {}, flushtime {}, outputs {}", d.transport.name().toLowerCase(Locale.ROOT),
                Durations.format(config.aggregate().flushtime()),
                config.outputs().isEmpty() ? "none" : describeOutputs(config.outputs()));
        d.notify.send("READY=1\nSTATUS=listening; outputs may still be connecting\nMAINPID="
                + ProcessHandle.current().pid());
        d.running = true;
        d.startWatchdog(System.getenv());
        return d;
    }

    /**
     * Takes the input connections a previous instance left in systemd's fd store: handed over at a
     * restart, or left open by one that ended without a stop (a crash: what it read and had not yet
     * flushed is lost with it, and the line it was reading is cut, counted malformed when its rest arrives).
     */
    private void adoptHandedOver() {
        for (ListenFds.Connection c : ListenFds.handedOver(System.getenv(), ProcessHandle.current().pid())) {
            Handover held = fdStore != null ? fdStore.held(c.name())
                    : Handover.resume(new byte[0], false); // no store here: nothing to tell
            if (held == null) { // in the store, but no handover file
                counters.connectionsAdoptedAfterCrash.increment();
                LOG.warn("input connection {} was left open by a previous instance that ended without a stop (crash, "
                        + "kill -9, watchdog): what it had read and not flushed is lost; its first line may be cut "
                        + "(counted in lines_malformed); counted in connections_adopted_after_crash", c.name());
                held = Handover.resume(new byte[0], false);
            }
            try {
                byte[] early = EarlyReader.take(c.fd());
                server.adopt(c.fd(), c.name(), held, early);
                LOG.info("took input connection {} from the previous instance (fd {}; {} bytes read while starting, "
                        + "the first at {})", c.name(), c.fd(), early.length, EarlyReader.firstRead());
            } catch (IOException e) {
                LOG.warn("{}", e.getMessage());
            }
        }
        if (fdStore != null) {
            // a line cut by a connection that ended during the restart, as at the end of any connection
            counters.linesMalformed.add(fdStore.discardLeftovers());
        }
    }

    /**
     * WATCHDOG=1 at half of systemd's WatchdogSec, sent from the ingest event loop itself, so a stuck
     * loop (not traffic, not the stats thread) is what systemd notices.
     */
    private void startWatchdog(Map<String, String> env) {
        if (!notify.enabled()) {
            return;
        }
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.trim().equals(Long.toString(ProcessHandle.current().pid())))) {
            return;
        }
        long period;
        try {
            period = Math.max(1_000, Long.parseLong(usec.trim()) / 2);
        } catch (NumberFormatException e) {
            LOG.warn("ignoring malformed WATCHDOG_USEC {}", usec);
            return;
        }
        watchdog = ingestGroup.next().scheduleAtFixedRate(() -> {
            if (running) {
                notify.send("WATCHDOG=1");
            }
        }, 0, period, TimeUnit.MICROSECONDS);
        LOG.info("systemd watchdog: WATCHDOG=1 every {} ms from the ingest event loop", period / 1000);
    }

    /** Sends {@link StatusLine} for the interval since the previous stats sample. */
    private void status(Sample s) {
        Sample prev = lastStatus;
        lastStatus = s;
        if (prev == null || !notify.enabled() || !running) {
            return;
        }
        notify.send(StatusLine.between(prev, s));
    }

    /**
     * SIGHUP: applies what can change without dropping a connection or an aggregate (each output's
     * forwarded types, the flush interval, the log level, the stats settings, shutdown-grace) and
     * names every other changed key, which keeps its value until a restart.
     */
    public synchronized void reload(Config configured) {
        if (stopped) {
            return;
        }
        // everything that may fail comes first, before anything changes: a reload is all or nothing
        Config next;
        ReloadPlan plan;
        StatsSink nextSink;
        try {
            JvmFit fitted = JvmFit.ofThisJvm(configured);
            next = fitted.config(); // as at start: unchanged sizes compare equal
            fitted.warnings().forEach(w -> LOG.warn("reloaded configuration: {}", w));
            plan = ReloadPlan.of(config, next);
            nextSink = plan.statsTargetChanged() ? statsSink(next.stats(), counters) : null;
        } catch (RuntimeException e) {
            reloadFailed(Secret.redactText(String.valueOf(e.getMessage())));
            return;
        }
        notify.send("RELOADING=1");
        for (Output f : outputs.all()) {
            plan.effective().outputs().stream().filter(o -> o.name().equals(f.config().name())).findFirst()
                    .ifPresent(f::reconfigure);
        }
        if (plan.flushtimeChanged()) {
            flushTask.reschedule(next.aggregate().flushtime());
        }
        Config.Stats ns = next.stats();
        if (plan.statsIntervalChanged()) {
            stats.reschedule(statsExecutor, ns.interval().toMillis());
        }
        suricataStats.reconfigure(ns);
        if (plan.statsTargetChanged()) {
            // a new sink for the new target; the old one gets 2 s to write what it holds
            stats.replaceSink(nextSink, System.nanoTime() + 2_000_000_000L);
            LOG.info("stats now go to {}", ns.influx() == null ? "the log" : ns.influx().describe());
        }
        Logging.setLevel(next.logLevel());
        config = plan.effective();
        counters.reloads.increment();
        List<String> restart = plan.restartNeeded();
        LOG.info("configuration reloaded: flushtime {}, log level {}, stats interval {}, outputs {}",
                Durations.format(config.aggregate().flushtime()), config.logLevel(),
                Durations.format(config.stats().interval()), describeOutputs(config.outputs()));
        if (!restart.isEmpty()) {
            LOG.warn("changed in the configuration but applied only at the next restart: {}", restart);
        }
        notify.send("READY=1\nSTATUS=configuration reloaded" + (restart.isEmpty() ? "" : "; restart needed for "
                + String.join(", ", restart)));
    }

    /** A SIGHUP whose configuration is invalid: nothing changes; the reason is logged, counted and shown. */
    public void reloadFailed(String reason) {
        counters.reloadsFailed.increment();
        LOG.error("configuration not reloaded, the running one stays: {}", reason);
        notify.send("RELOADING=1");
        notify.send("READY=1\nSTATUS=reload failed: " + reason.replace('\n', ' '));
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
        Config config = this.config;
        running = false;
        notify.send("STOPPING=1\nSTATUS=stopping: reading what clients already sent, final flush");
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        LOG.info("stopping: reading what clients already sent, then final flush (grace {})",
                Durations.format(config.shutdownGrace()));
        try {
            // Inputs get at most half the grace period, so the final flush always has time left.
            long inputDeadline = System.nanoTime() + config.shutdownGrace().toNanos() / 2;
            if (fdStore != null && fdStore.restarting()) {
                int n = server.handOver(inputDeadline);
                LOG.info("restart: {} input connections handed to the next instance through systemd's fd store", n);
            } else {
                server.stop(inputDeadline);
            }
            if (!flushTask.finalFlush(deadline)) {
                LOG.warn("final flush did not finish within the grace period");
            }
            for (Output f : outputs.all()) {
                f.drainAndClose(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping");
        }
        // final report; its write gets what is left of the grace period, at least 1 s and at most 3 s
        long now = System.nanoTime();
        stats.stop(now + Math.max(1_000_000_000L, Math.min(deadline - now, 3_000_000_000L)));
        notify.close();
        shutdownThreads();
        LOG.info("eveflow stopped");
    }

    /** A failed start: no final report, the stats sink is closed at once (its writer thread and client too). */
    private void abort() {
        if (notify != null) {
            notify.close();
        }
        stats.abandon();
        shutdownThreads();
    }

    private void shutdownThreads() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (decodePool != null) {
            decodePool.shutdown();
        }
        flushExecutor.shutdownNow();
        statsExecutor.shutdownNow();
        ingestGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        outputGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The scrape endpoint if configured; a taken address is a configuration error (exit 2), named. */
    private static PrometheusEndpoint startPrometheus(Daemon d, Config config) throws StartupException, IOException {
        Config.Prometheus p = config.stats().prometheus();
        if (p == null) {
            return null;
        }
        try {
            PrometheusEndpoint e = PrometheusEndpoint.start(p, d.counters, d.suricataStats, d::notReady);
            LOG.info("Prometheus endpoint on {} (and /-/healthy, /-/ready)", e.url());
            return e;
        } catch (BindException e) {
            throw new StartupException(2, "stats.prometheus.listen: cannot listen on " + PrometheusEndpoint.hostAndPort(
                    p.listen()) + ": " + e.getMessage() + " (another process has the port, or the address is not"
                    + " this machine's)", e);
        }
    }

    /** Why the daemon is not ready for /-/ready (null: ready): not started, or an output disabled. */
    private String notReady() {
        if (!running) {
            return "starting or stopping";
        }
        for (OutputCounters o : counters.outputs) {
            if (o.disabled.get() != 0) {
                return "output " + o.name + " is disabled (its reconnect budget is spent)";
            }
        }
        return null;
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

package org.eveflow.stats;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import com.influxdb.exceptions.InfluxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigException;
import org.eveflow.config.Secret;
import org.eveflow.counters.Counters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes stats points to InfluxDB with influxdb-client-java's blocking write API, from its own
 * thread, out of eveflow's own bounded buffer: a point stays buffered until a write that contains it
 * succeeds. InfluxDB down, slow or refusing never blocks the caller; failed writes are retried with
 * capped backoff; when the buffer is full the oldest waiting point is dropped (the newest cumulative
 * counters matter most); a batch InfluxDB rejects as invalid (400, 413, 422) is dropped. Every point
 * ends exactly once as written or dropped, counted ({@code stats_points_dropped}); a failure episode is logged when it starts and
 * when it ends, not per point. Thread-safe: the buffer is guarded by {@code lock}.
 */
public final class InfluxSink implements StatsSink {
    /** FEVER's host names for points in its format: its stats encoder's and its profilers'. */
    public record FeverHosts(Supplier<String> points, Supplier<String> profiles) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(InfluxSink.class);
    private static final int BATCH = 1_000;
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;

    private final Config.Stats config;
    private final Config.Influx influx;
    private final String host;
    private final Counters counters;
    private final InfluxDBClient client;
    private final WriteApiBlocking writeApi;
    private final Thread writer;
    /** Non-null when the points are in FEVER's format (stats.format fever). */
    private final FeverPoints fever;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Points waiting to be written; the batch being written is taken out of it (see {@code inFlight}). */
    private final ArrayDeque<Point> buffer = new ArrayDeque<>();
    /** Size of the batch the writer is writing now; it counts against buffer-points. */
    private int inFlight;
    /** Set when close gave up on a write still running: its outcome is then counted as dropped. */
    private boolean abandoned;
    private volatile boolean closing;
    private volatile long deadlineNanos = Long.MAX_VALUE;

    private boolean failing;
    private long failedWrites;
    private long droppedInEpisode;

    /**
     * {@code host}: the host tag of eveflow's own points; {@code feverHosts}: FEVER's, for points in
     * FEVER's format (asked for when the first such point is made: the resolver may be slow).
     */
    public InfluxSink(Config.Stats config, String host, FeverHosts feverHosts, Counters counters) {
        this.config = config;
        this.influx = config.influx();
        this.host = host;
        this.counters = counters;
        long timeout = influx.timeout().toMillis();
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                .readTimeout(timeout, TimeUnit.MILLISECONDS)
                .writeTimeout(timeout, TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false);
        if (influx.api() == Config.InfluxApi.V1) {
            http.addNetworkInterceptor(new V1WriteInterceptor(influx.database(), influx.retentionPolicy(),
                    influx.username(), influx.password() == null ? null : influx.password().value()));
        }
        this.fever = config.feverFormat() ? new FeverPoints(config.measurement(), feverHosts.points(),
                feverHosts.profiles(), config.tags(), counters, config.interval().toMillis(),
                System.currentTimeMillis()) : null;
        if (fever != null) { // off the flush and stats threads: the resolver may wait on DNS
            Thread resolve = new Thread(fever::resolveHosts, "eveflow-fever-host");
            resolve.setDaemon(true);
            resolve.start();
        }
        this.client = InfluxDBClientFactory.create(options(influx, http));
        this.writeApi = client.getWriteApiBlocking();
        this.writer = new Thread(this::writeLoop, "eveflow-influx");
        writer.setDaemon(true);
        writer.start();
        LOG.info("stats go to InfluxDB at {}, measurement {} in {}'s format, every {} ms{}", influx.describe(),
                config.measurement(), config.feverFormat() ? "FEVER" : "eveflow", config.interval().toMillis(),
                config.suricataPoints() ? "; Suricata's stats records as measurement "
                        + config.suricata().measurement() : "");
    }

    /** The client's options for {@code influx}; the client library parses the URL here (InfluxException). */
    private static InfluxDBClientOptions options(Config.Influx influx, OkHttpClient.Builder http) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(influx.url())
                .okHttpClient(http)
                .precision(WritePrecision.MS);
        if (influx.api() == Config.InfluxApi.V1) {
            options.org("-").bucket(influx.database());
        } else {
            options.org(influx.org()).bucket(influx.bucket());
            if (influx.token() != null) {
                options.authenticateToken(influx.token().value());
            }
        }
        return options.build();
    }

    /**
     * Refuses what the client library would refuse when the sink is made (its URL parser is stricter
     * than the configuration's check: a port past 65535, an unclosed IPv6 bracket, no host), so that
     * check-config, a start and a reload refuse it as an invalid configuration instead of failing later.
     */
    public static void check(Config.Influx influx) throws ConfigException {
        try {
            options(influx, new OkHttpClient.Builder());
        } catch (RuntimeException e) {
            throw new ConfigException("stats.influx.url", "'" + Secret.redactUrl(influx.url()) + "' is not a URL the"
                    + " InfluxDB client accepts (expected http(s)://host:port/path with a port from 1 to 65535)");
        }
    }

    @Override
    public void publish(Sample sample) {
        if (fever != null) {
            enqueue(fever.ofSample(sample));
            return;
        }
        List<Point> points = new ArrayList<>(1 + sample.outputs().size());
        points.add(point(sample, sample.global(), null));
        for (Map.Entry<String, Map<String, Long>> o : sample.outputs().entrySet()) {
            points.add(point(sample, o.getValue(), o.getKey()));
        }
        enqueue(points);
    }

    /** FEVER's format writes the per-flush values once per flush, as FEVER does; eveflow's carries them in its gauges. */
    @Override
    public void flushed(long flowEvents, long aggregates) {
        if (fever != null) {
            enqueue(fever.ofFlush(System.currentTimeMillis(), flowEvents, aggregates));
        }
    }

    /** Suricata's points, as Telegraf writes them (measurement, thread tag, float fields), plus host and tags. */
    @Override
    public void suricata(long epochMillis, List<SuricataStats.Point> points) {
        List<Point> batch = new ArrayList<>(points.size());
        for (SuricataStats.Point s : points) {
            Point p = point(config.suricata().measurement(), epochMillis);
            if (s.thread() != null) {
                p.addTag("thread", s.thread());
            }
            for (Map.Entry<String, Double> f : s.fields().entrySet()) {
                p.addField(f.getKey(), f.getValue().doubleValue());
            }
            batch.add(p);
        }
        enqueue(batch);
    }

    private void enqueue(List<Point> points) {
        lock.lock();
        try {
            for (Point p : points) {
                if (closing) {
                    counters.statsPointsDropped.increment();
                    continue;
                }
                if (buffer.size() + inFlight >= influx.bufferPoints()) {
                    // Full: the oldest waiting point goes (never one being written, whose outcome is open);
                    // if every point is being written, the new one goes.
                    counters.statsPointsDropped.increment();
                    droppedInEpisode++;
                    if (buffer.pollFirst() == null) {
                        continue;
                    }
                }
                buffer.addLast(p);
            }
            updateGauge();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Point point(Sample s, Map<String, Long> fields, String output) {
        Point p = point(config.measurement(), s.epochMillis());
        if (output != null) {
            p.addTag("output", output);
        }
        for (Map.Entry<String, Long> f : fields.entrySet()) {
            p.addField(f.getKey(), f.getValue().longValue());
        }
        return p;
    }

    /** A point of {@code measurement} at {@code epochMillis} with the tags every point has: host and stats.tags. */
    private Point point(String measurement, long epochMillis) {
        return Point.measurement(measurement).time(epochMillis, WritePrecision.MS).addTag("host", host)
                .addTags(config.tags());
    }

    private void writeLoop() {
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            List<Point> batch;
            lock.lock();
            try {
                while (buffer.isEmpty() && !closing) {
                    changed.await();
                }
                if (buffer.isEmpty() || System.nanoTime() - deadlineNanos >= 0) {
                    return;
                }
                batch = new ArrayList<>(Math.min(BATCH, buffer.size()));
                for (Point p; batch.size() < BATCH && (p = buffer.pollFirst()) != null; ) {
                    batch.add(p);
                }
                inFlight = batch.size();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            Outcome outcome = write(batch);
            lock.lock();
            try {
                inFlight = 0;
                if (abandoned) {
                    return; // close counted this batch as dropped
                }
                if (outcome == Outcome.WRITTEN) {
                    counters.statsPointsWritten.add(batch.size());
                } else if (outcome == Outcome.REJECTED) {
                    counters.statsPointsDropped.add(batch.size());
                } else {
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        buffer.addFirst(batch.get(i)); // back in front, in order; room was reserved
                    }
                }
                updateGauge();
                if (outcome != Outcome.RETRY) {
                    backoff = FIRST_BACKOFF_MS;
                    continue;
                }
                long waitMs = backoff;
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
                if (until - deadlineNanos > 0) {
                    until = deadlineNanos; // closing: retry until the shutdown deadline, not beyond
                }
                while (System.nanoTime() - until < 0) {
                    changed.awaitNanos(until - System.nanoTime());
                }
                if (closing && System.nanoTime() - deadlineNanos >= 0) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private enum Outcome { WRITTEN, REJECTED, RETRY }

    private Outcome write(List<Point> batch) {
        try {
            writeApi.writePoints(batch);
            if (failing) {
                LOG.info("InfluxDB writes resumed after {} failed attempts; {} stats points were dropped meanwhile",
                        failedWrites, droppedInEpisode);
                failing = false;
            }
            return Outcome.WRITTEN;
        } catch (InfluxException e) {
            int status = e.status();
            if (status == 400 || status == 413 || status == 422) {
                LOG.warn("InfluxDB rejected {} stats points as invalid (HTTP {}): {}; they are dropped",
                        batch.size(), status, firstLine(e.getMessage()));
                return Outcome.REJECTED;
            }
            episode(status == 0 ? String.valueOf(e.getMessage()) : "HTTP " + status + ": " + firstLine(e.getMessage()));
            return Outcome.RETRY;
        } catch (RuntimeException e) {
            episode(e.getClass().getSimpleName() + ": " + firstLine(String.valueOf(e.getMessage())));
            return Outcome.RETRY;
        }
    }

    private void episode(String reason) {
        failedWrites = failing ? failedWrites + 1 : 1;
        if (!failing) {
            failing = true;
            droppedInEpisode = 0;
            LOG.warn("InfluxDB write to {} failed ({}); stats points are buffered (up to {}) and retried with "
                    + "backoff", influx.redactedUrl(), reason, influx.bufferPoints());
        }
    }

    /** Under {@code lock}: points not yet written, waiting or being written. */
    private void updateGauge() {
        counters.statsPointsBuffered.set(buffer.size() + inFlight);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        String l = nl < 0 ? s : s.substring(0, nl);
        return l.length() > 200 ? l.substring(0, 200) + "…" : l;
    }

    @Override
    public void close(long deadline) {
        lock.lock();
        try {
            deadlineNanos = deadline;
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
        lock.lock();
        try {
            int left = buffer.size() + inFlight;
            abandoned = inFlight > 0; // a write still running: whatever it does, those points count as dropped
            inFlight = 0;
            if (left > 0) {
                counters.statsPointsDropped.add(left);
                LOG.warn("{} stats points could not be written to InfluxDB before shutdown", left);
            }
            buffer.clear();
            counters.statsPointsBuffered.set(0);
        } finally {
            lock.unlock();
        }
        client.close();
    }
}

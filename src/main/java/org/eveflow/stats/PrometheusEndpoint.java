package org.eveflow.stats;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.eveflow.config.Config;
import org.eveflow.counters.Counters;

/**
 * The scrape endpoint (stats.prometheus.listen), on the JDK's HTTP server and the Prometheus Java
 * client's exposition: {@code GET /metrics} serves eveflow's counters ({@link EveflowPrometheus}) and
 * Suricata's latest stats ({@link SuricataPrometheus}) in the text format, or OpenMetrics when the
 * scraper asks for it; {@code /-/healthy} answers 200 while the process serves; {@code /-/ready} 200
 * once the input listens and while no output is disabled, else 503 with the reason. One thread of its
 * own answers, one request at a time: a scrape reads counters and a volatile record, never a lock
 * that ingest takes. Binds only the configured address. Thread-safe.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    /** Connections waiting to be accepted: a few scrapers and health checks. */
    private static final int BACKLOG = 16;
    private final HttpServer server;
    private final ExecutorService thread;

    private PrometheusEndpoint(HttpServer server, ExecutorService thread) {
        this.server = server;
        this.thread = thread;
    }

    /**
     * Listens on {@code config}'s address; {@code notReady} gives the reason the daemon is not ready,
     * or null. Throws {@link BindException} when the address is taken or not this machine's.
     */
    public static PrometheusEndpoint start(Config.Prometheus config, Counters counters, SuricataStats suricata,
            Supplier<String> notReady) throws IOException {
        SuricataPrometheus latest = new SuricataPrometheus(config.maxSeries(), counters);
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(EveflowPrometheus.collector(
                () -> StatsReporter.sample(counters, System.currentTimeMillis()), latest));
        HttpServer server = HttpServer.create(config.listen(), BACKLOG);
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "eveflow-prometheus");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(thread);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/-/healthy", x -> answer(x, 200, "eveflow is healthy.\n"));
        server.createContext("/-/ready", x -> {
            String why = notReady.get();
            answer(x, why == null ? 200 : 503, why == null ? "eveflow is ready.\n" : "eveflow is not ready: " + why + "\n");
        });
        server.start();
        suricata.serveTo(latest);
        return new PrometheusEndpoint(server, thread);
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        x.sendResponseHeaders(status, x.getRequestMethod().equals("HEAD") ? -1 : b.length);
        try (OutputStream out = x.getResponseBody()) {
            if (!x.getRequestMethod().equals("HEAD")) {
                out.write(b);
            }
        }
    }

    /** Its metrics URL ("http://127.0.0.1:9917/metrics"). */
    public String url() {
        return "http://" + hostAndPort(server.getAddress()) + "/metrics";
    }

    /** "127.0.0.1:9917", "[::1]:9917". */
    public static String hostAndPort(InetSocketAddress a) {
        String ip = a.getAddress().getHostAddress();
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + a.getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}

package org.eveflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus (/usr/bin/prometheus) for a test: its own configuration scraping one target every
 * second, its data in the test's directory, its API on a free loopback port; stopped by close().
 */
public final class PrometheusServer implements AutoCloseable {
    public static final String BINARY = "/usr/bin/prometheus";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int port;

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** A free TCP port on loopback (for eveflow's endpoint and Prometheus' own). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts Prometheus scraping {@code 127.0.0.1:targetPort} (job "eveflow") every second. */
    public static PrometheusServer start(Path dir, int targetPort) throws IOException {
        Required.binary(BINARY, "prometheus (Debian 12)");
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: eveflow\n"
                + "    static_configs:\n      - targets: ['127.0.0.1:" + targetPort + "']\n");
        int port = freePort();
        Process p = new ProcessBuilder(BINARY, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        return new PrometheusServer(p, port);
    }

    /** The {@code data.result} of an instant PromQL query (empty while Prometheus is not up yet). */
    public JsonNode query(String promql) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            JsonNode r = JSON.readTree(body);
            if (!r.path("status").asText().equals("success")) {
                throw new IllegalArgumentException("PromQL " + promql + ": " + body);
            }
            return r.path("data").path("result");
        } catch (IOException e) {
            return JSON.createArrayNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.createArrayNode();
        }
    }

    /** The value of a query with one series, or -1 when it has none. */
    public double value(String promql) {
        JsonNode result = query(promql);
        return result.size() == 1 ? result.get(0).path("value").get(1).asDouble() : -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}

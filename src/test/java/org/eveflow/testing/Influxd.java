package org.eveflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real InfluxDB 1.x server (Debian's influxd) on free loopback ports with its data under a test
 * directory; optionally with authentication and an admin user. Read back with InfluxQL over /query.
 */
public final class Influxd implements AutoCloseable {
    public static final String BINARY = "/usr/bin/influxd";
    private final Path dir;
    private final int httpPort;
    private final int rpcPort;
    private final String user;
    private final String password;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;

    private Influxd(Path dir, String user, String password) throws IOException {
        this.dir = dir;
        this.httpPort = freePort();
        this.rpcPort = freePort();
        this.user = user;
        this.password = password;
    }

    public static void requireInstalled() {
        Required.binary(BINARY, "influxdb");
    }

    /** Starts influxd; with a user, authentication is on and that user is created as admin. */
    public static Influxd start(Path dir, String user, String password) throws Exception {
        Influxd i = new Influxd(Files.createDirectories(dir), user, password);
        i.writeConfig();
        i.startProcess();
        if (user != null) {
            // With auth on and no user yet, InfluxDB allows creating the first admin without credentials.
            i.query(null, "CREATE USER \"" + user + "\" WITH PASSWORD '" + password + "' WITH ALL PRIVILEGES", false);
        }
        return i;
    }

    private void writeConfig() throws IOException {
        String toml = "reporting-disabled = true\n"
                + "bind-address = \"127.0.0.1:" + rpcPort + "\"\n"
                + "[meta]\n  dir = \"" + dir.resolve("meta") + "\"\n"
                + "[data]\n  dir = \"" + dir.resolve("data") + "\"\n  wal-dir = \"" + dir.resolve("wal") + "\"\n"
                + "  query-log-enabled = false\n"
                + "[http]\n  enabled = true\n  bind-address = \"127.0.0.1:" + httpPort + "\"\n"
                + "  auth-enabled = " + (user != null) + "\n  log-enabled = false\n"
                + "[logging]\n  level = \"warn\"\n"
                + "[monitor]\n  store-enabled = false\n"
                + "[continuous_queries]\n  enabled = false\n"
                + "[subscriber]\n  enabled = false\n";
        Files.writeString(dir.resolve("influxdb.conf"), toml);
    }

    private void startProcess() throws Exception {
        process = new ProcessBuilder(BINARY, "-config", dir.resolve("influxdb.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("influxd.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("influxd exited: " + Files.readString(dir.resolve("influxd.log")));
            }
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/ping")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 204;
        });
    }

    /** Stops the server (SIGTERM) and waits; {@link #restart()} starts it again on the same ports and data. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public void restart() throws Exception {
        startProcess();
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public void createDatabase(String db) throws Exception {
        query(null, "CREATE DATABASE \"" + db + "\"", true);
    }

    /** Writes line protocol as it is (nanosecond timestamps), as another writer (FEVER's pipeline) would. */
    public void write(String db, String lines) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/write?db=" + enc(db)))
                .POST(HttpRequest.BodyPublishers.ofString(lines)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) {
            throw new AssertionError("write -> HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    /** Runs InfluxQL; returns the parsed JSON answer. */
    public JsonNode query(String db, String q, boolean authenticate) throws Exception {
        StringBuilder u = new StringBuilder(url()).append("/query?epoch=ms&q=").append(enc(q));
        if (db != null) {
            u.append("&db=").append(enc(db));
        }
        if (authenticate && user != null) {
            u.append("&u=").append(enc(user)).append("&p=").append(enc(password));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(u.toString()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("InfluxQL " + q + " -> HTTP " + r.statusCode() + ": " + r.body());
        }
        return Aggregates.parse(r.body());
    }

    /** The newest point of a series as column name to value (empty if there is none). */
    public Map<String, JsonNode> last(String db, String measurement, String where) throws Exception {
        JsonNode res = query(db, "SELECT * FROM \"" + measurement + "\" WHERE " + where
                + " ORDER BY time DESC LIMIT 1", true);
        Map<String, JsonNode> m = new HashMap<>();
        JsonNode series = res.path("results").path(0).path("series").path(0);
        if (series.isMissingNode()) {
            return m;
        }
        for (int i = 0; i < series.get("columns").size(); i++) {
            m.put(series.get("columns").get(i).asText(), series.get("values").get(0).get(i));
        }
        return m;
    }

    public long count(String db, String measurement, String field, String where) throws Exception {
        JsonNode res = query(db, "SELECT count(\"" + field + "\") FROM \"" + measurement + "\" WHERE " + where, true);
        JsonNode v = res.path("results").path(0).path("series").path(0).path("values").path(0).path(1);
        return v.isMissingNode() ? 0 : v.asLong();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}

package org.eveflow.stats;

import org.eveflow.counters.Counters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An InfluxDB endpoint that is slow (past the timeout), then answers garbage with 500, then 404, then
 * works: ingest is unaffected, nothing is lost within the buffer, writes resume, and every point the
 * server accepted is counted as written.
 */
class InfluxFailureTest {
    @TempDir
    Path dir;

    @Test
    void slowGarbageAndRefusingAnswersAreRetriedUntilWritesResume() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        List<String> accepted = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int n = requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (n == 1) {
                    Thread.sleep(1_500); // slower than the 500 ms timeout
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int status = n <= 1 ? 204 : n == 2 ? 500 : n == 3 ? 404 : 204;
            byte[] answer = (n == 2 ? "<html>\u0000garbage{{" : n == 3 ? "{\"message\":\"bucket not found\"}" : "")
                    .getBytes(StandardCharsets.UTF_8);
            if (status == 204 && n > 1) {
                accepted.addAll(List.of(body.split("\n")));
            }
            exchange.sendResponseHeaders(status, status == 204 ? -1 : answer.length);
            if (status != 204) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try (LineSink sink = new LineSink(dir.resolve("out.sock"))) {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            TestDaemon d = TestDaemon.start(dir, "stats:\n  interval: 100ms\n  influx:\n    url: " + url
                    + "\n    org: o\n    bucket: b\n    token: t\n    timeout: 500ms\n", TestDaemon.flags("1h"));
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < 10_000; i++) {
                    w.line("{\"event_type\":\"dns\",\"n\":" + i + "}");
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> d.counters().linesDecoded.sum() == 10_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> requests.get() >= 6
                    && d.counters().statsPointsWritten.sum() >= 10);
            d.stop();
            Counters c = d.counters();
            assertThat(c.linesDecoded.sum()).isEqualTo(10_000);
            assertThat(c.statsPointsDropped.sum()).isZero();
            assertThat(c.statsPointsBuffered.get()).isZero();
            // what the server accepted is exactly what eveflow counts as written (the timed-out first
            // request may or may not have been counted by the server, but eveflow retried it)
            assertThat(accepted.stream().filter(l -> l.startsWith("eveflow,")).count())
                    .isEqualTo(c.statsPointsWritten.sum());
            assertThat(accepted).allMatch(l -> l.contains("host=") && l.contains("i"));
        } finally {
            server.stop(0);
        }
    }
}

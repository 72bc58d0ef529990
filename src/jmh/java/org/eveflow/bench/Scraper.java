package org.eveflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Scrapes eveflow's Prometheus endpoint every {@code periodMillis} from its start to its stop, as
 * Prometheus would (a GET of /metrics), and keeps the latency and size of the scrapes made while the
 * measured stream is sent ({@link #measuring}); failures count. One thread of its own.
 */
final class Scraper implements AutoCloseable {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI uri;
    private final long periodMillis;
    private final List<Double> latenciesMs = new ArrayList<>();
    private volatile boolean running = true;
    /** Whether the scrapes now are the measured ones. */
    volatile boolean measuring;
    private final Thread thread;
    private long bytes;
    private int failures;

    Scraper(int port, long periodMillis) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::loop, "bench-scraper");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
                double ms = (System.nanoTime() - t0) / 1e6;
                synchronized (this) {
                    if (!measuring) {
                        // a scrape outside the measured stream (warm-up): not counted
                    } else if (r.statusCode() == 200) {
                        latenciesMs.add(ms);
                        bytes = r.body().length;
                    } else {
                        failures++;
                    }
                }
            } catch (java.io.IOException e) {
                synchronized (this) {
                    if (measuring) {
                        failures++;
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, periodMillis - (System.nanoTime() - t0) / 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }

    /** "12 scrapes of 18 KB: median 3.1 ms, max 7.9 ms, 0 failed". */
    synchronized String summary() {
        double[] v = latenciesMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(java.util.Locale.ROOT, "%d scrapes of %d KB: median %.1f ms, max %.1f ms, %d failed",
                v.length, bytes >> 10, v.length == 0 ? Double.NaN : BenchReport.medianOf(v),
                v.length == 0 ? Double.NaN : v[v.length - 1], failures);
    }

    synchronized double maxMillis() {
        return latenciesMs.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}

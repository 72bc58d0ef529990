package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-run stability, not in the default suite: {@code mvn -P soak verify} (Failsafe runs only this
 * class), duration {@code -Dsoak.minutes=10} (default 10), rate {@code -Dsoak.rate=20000} lines/s.
 * A steady mixed stream (flows over 10,000 keys, alerts, dns, 1 % malformed) goes into the daemon
 * run as a process; once a minute a full GC is forced and the heap used after it recorded. At the end
 * the heap after GC must be flat (last third of the samples at most 20 % + 8 MiB above the first
 * third) and invariants 1-3 hold exactly. Samples are printed for the issue notes.
 */
class LongRunSoak {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path dir;

    @Test
    void heapStaysFlatAndEveryLineIsAccountedFor() throws Exception {
        long minutes = Long.getLong("soak.minutes", 10);
        int rate = Integer.getInteger("soak.rate", 20_000);
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, "stats:\n  interval: 1s\n");
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, List.of("-Xmx256m", "-XX:+UseParallelGC"), "run",
                     "--config", cfg.toString(), "-i", in.toString(), "-o", out.toString(), "-f", "10s",
                     "-t", "alert,dns", "-v")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            FlowGen gen = new FlowGen(10_000, 42);
            long sent = 0;
            long malformed = 0;
            long forwarded = 0;
            List<Long> heapKib = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
            long nextSample = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            try (EveWriter w = new EveWriter(in)) {
                long start = System.nanoTime();
                while (System.nanoTime() < end) {
                    for (int i = 0; i < rate / 20; i++, sent++) {
                        int kind = (int) (sent % 100);
                        if (kind == 0) {
                            w.line("{\"event_type\":\"alert\",\"broken\":");
                            malformed++;
                        } else if (kind < 10) {
                            w.line("{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\","
                                    + "\"src_ip\":\"10.9.9.9\",\"alert\":{\"signature_id\":" + sent + "}}");
                            forwarded++;
                        } else if (kind < 20) {
                            w.line("{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"dns\","
                                    + "\"dns\":{\"rrname\":\"host" + sent + ".example.org\"}}");
                            forwarded++;
                        } else {
                            w.line(gen.next());
                        }
                    }
                    w.flush();
                    // steady pace: this batch's share of a second (the load itself, not a wait for a condition)
                    long due = start + sent * 1_000_000_000L / rate;
                    long ahead = due - System.nanoTime();
                    if (ahead > 0) {
                        TimeUnit.NANOSECONDS.sleep(ahead);
                    }
                    if (System.nanoTime() >= nextSample) {
                        heapKib.add(heapAfterGc(p));
                        nextSample += TimeUnit.MINUTES.toNanos(1);
                    }
                }
            }
            heapKib.add(heapAfterGc(p));
            long total = sent;
            await().atMost(Duration.ofSeconds(60)).until(() -> p.lastStats().getOrDefault("lines_received", -1L) == total);
            p.sigterm();
            assertThat(p.waitFor(120)).as(p.output()).isZero();
            System.out.printf("soak: %d min, %d lines (%d/s), heap after full GC each minute (KiB): %s%n",
                    minutes, sent, rate, heapKib);

            int third = Math.max(1, heapKib.size() / 3);
            double first = heapKib.subList(0, third).stream().mapToLong(Long::longValue).average().orElse(0);
            double last = heapKib.subList(heapKib.size() - third, heapKib.size()).stream()
                    .mapToLong(Long::longValue).average().orElse(0);
            assertThat(last).as("heap after GC, last third vs first third (KiB): %s", heapKib)
                    .isLessThanOrEqualTo(first * 1.2 + 8 * 1024);

            Map<String, Long> s = p.lastStats();
            assertThat(p.output()).doesNotContain("LEAK:");
            assertThat(s.get("lines_received")).isEqualTo(sent);
            assertThat(s.get("lines_malformed")).isEqualTo(malformed);
            assertThat(s.get("lines_decoded")).isEqualTo(sent - malformed);
            assertThat(s.get("output_offered")).isEqualTo(s.get("output_written") + s.get("output_dropped"));
            long aggregates = s.get("aggregates_emitted");
            long raw = forwarded;
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.lineCount() == aggregates + raw);
            assertThat(Aggregates.sum(sink.lines())).isEqualTo(gen.expected());
        }
    }

    /** Forces a full GC and returns the heap used after it (young + old), in KiB. */
    private static long heapAfterGc(DaemonProcess p) throws Exception {
        p.forceGc();
        String info = p.jcmd("GC.heap_info");
        long used = 0;
        for (String line : info.split("\n")) {
            if (line.contains("PSYoungGen") || line.contains("ParOldGen")) {
                Matcher m = USED.matcher(line);
                if (m.find()) {
                    used += Long.parseLong(m.group(1));
                }
            }
        }
        return used;
    }
}

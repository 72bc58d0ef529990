package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eveflow.config.Overrides;
import org.eveflow.counters.OutputCounters;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several named outputs (FEVER's multi-forward): type filters, a stalled reader that must not slow
 * ingest or the other output, a reader slower than the flush (invariant 7, docs/architecture.md:
 * aggregates outrank raw lines), and the
 * reconnect retry limit.
 */
class MultiOutputTest {
    @TempDir
    Path dir;

    /** No default output: only the named ones from the YAML. */
    private TestDaemon start(String yaml, String flushtime) throws Exception {
        return TestDaemon.start(dir, yaml, Overrides.none().with("--out-socket", "").with("--flushtime", flushtime));
    }

    private static String event(String type, int i) {
        return "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"" + type + "\",\"seq\":" + i
                + ",\"text\":\"\\\"quoted\\\" and ünïcödé\"}";
    }

    private static void assertAccountingExact(OutputCounters o) {
        assertThat(o.inFlight.get()).isZero();
        assertThat(o.bufferedLines.get()).isZero();
        assertThat(o.offered.sum()).isEqualTo(o.written.sum() + o.dropped());
    }

    @Test
    void twoOutputsWithDifferentFiltersReceiveExactlyTheirShareByteIdentical() throws Exception {
        try (LineSink alerts = new LineSink(dir.resolve("alerts.sock"));
             LineSink dns = new LineSink(dir.resolve("dns.sock"))) {
            TestDaemon d = start("outputs:\n"
                    + "  siem:\n    socket: " + alerts.path() + "\n    types: [alert]\n    aggregates: true\n"
                    + "  dnslog:\n    socket: " + dns.path() + "\n    types: [dns, tls]\n"
                    + "aggregate:\n  src-ports-per-key: 10000\n", "200ms");
            List<String> wantAlerts = new ArrayList<>();
            List<String> wantDns = new ArrayList<>();
            FlowGen gen = new FlowGen(100, 21);
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < 20_000; i++) {
                    String type = i % 4 == 0 ? "alert" : i % 4 == 1 ? "dns" : i % 4 == 2 ? "http" : "tls";
                    String line = event(type, i);
                    (type.equals("alert") ? wantAlerts : type.equals("http") ? new ArrayList<String>() : wantDns)
                            .add(line);
                    w.line(line).line(gen.next());
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> d.counters().linesDecoded.sum() == 40_000);
            d.stop();
            long aggregates = d.counters().aggregatesEmitted.sum();
            await().atMost(Duration.ofSeconds(10)).until(() -> alerts.lineCount() == wantAlerts.size() + aggregates
                    && dns.lineCount() == wantDns.size());
            assertThat(alerts.lines()).filteredOn(l -> !Aggregates.isAggregate(l)).containsExactlyElementsOf(wantAlerts);
            assertThat(Aggregates.sum(alerts.lines())).isEqualTo(gen.expected());
            assertThat(dns.lines()).containsExactlyElementsOf(wantDns);
            assertThat(d.counters().eventsIgnored.sum()).isEqualTo(5_000); // http goes nowhere
            assertAccountingExact(d.counters().output("siem"));
            assertAccountingExact(d.counters().output("dnslog"));
            assertThat(d.counters().output("siem").dropped() + d.counters().output("dnslog").dropped()).isZero();
        }
    }

    @Test
    void stalledReaderNeitherSlowsIngestNorTheOtherOutput() throws Exception {
        try (LineSink stalled = new LineSink(dir.resolve("stalled.sock"));
             LineSink healthy = new LineSink(dir.resolve("healthy.sock"))) {
            stalled.pause();
            TestDaemon d = start("outputs:\n"
                    + "  stalled:\n    socket: " + stalled.path() + "\n    all: true\n    buffer-lines: 1000\n"
                    + "  healthy:\n    socket: " + healthy.path() + "\n    all: true\n"
                    + "shutdown-grace: 2s\n", "1h");
            int total = 200_000;
            List<String> sent = new ArrayList<>(total);
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < total; i++) {
                    String line = event("alert", i);
                    sent.add(line);
                    w.line(line);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> d.counters().linesDecoded.sum() == total);
            await().atMost(Duration.ofSeconds(60)).until(() -> healthy.lineCount() == total);
            OutputCounters s = d.counters().output("stalled");
            assertThat(s.droppedFull.sum()).isPositive();
            assertThat(s.bufferedLines.get()).isEqualTo(1000);
            d.stop();
            assertThat(d.counters().linesReceived()).isEqualTo(total);
            assertThat(healthy.lines()).containsExactlyElementsOf(sent);
            assertThat(d.counters().output("healthy").dropped()).isZero();
            assertAccountingExact(d.counters().output("healthy"));
            assertAccountingExact(s);
            assertThat(s.offered.sum()).isEqualTo(total);
            assertThat(s.droppedShutdown.sum()).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aggregatesOutrankRawLinesWhenTheReaderIsSlowerThanTheFlush() throws Exception {
        try (LineSink slow = new LineSink(dir.resolve("slow.sock"))) {
            slow.slowDown(1);
            TestDaemon d = start("outputs:\n"
                    + "  slow:\n    socket: " + slow.path() + "\n    all: true\n    buffer-lines: 500\n"
                    + "aggregate:\n  src-ports-per-key: 100000\nshutdown-grace: 60s\n", "100ms");
            FlowGen gen = new FlowGen(5_000, 33);
            int flows = 60_000;
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < flows; i++) {
                    w.line(gen.next());
                    w.line(event("alert", i));
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> d.counters().linesDecoded.sum() == 2L * flows);
            d.stop();
            OutputCounters o = d.counters().output("slow");
            long aggregates = d.counters().aggregatesEmitted.sum();
            // -T forwards the raw flow lines too; every drop is a raw line, never an aggregate.
            assertThat(o.droppedFull.sum()).isPositive();
            assertThat(o.droppedShutdown.sum() + o.droppedDisconnect.sum() + o.droppedDisabled.sum()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.lineCount() == o.written.sum());
            List<String> got = slow.lines();
            assertThat(got.stream().filter(Aggregates::isAggregate).count()).isEqualTo(aggregates);
            Map<FlowGen.Key, FlowGen.Sums> sums = Aggregates.sum(got);
            assertThat(sums).isEqualTo(gen.expected());
            assertThat(got.size() - aggregates + o.droppedFull.sum()).isEqualTo(2L * flows);
            assertAccountingExact(o);
            assertThat(d.counters().flushes.sum()).isGreaterThan(2);
        }
    }

    @Test
    void spentRetryBudgetDisablesTheOutputAndTellsTheDaemon() throws Exception {
        try (LineSink healthy = new LineSink(dir.resolve("healthy.sock"))) {
            TestDaemon d = TestDaemon.start(dir, "outputs:\n"
                    + "  gone:\n    socket: " + dir.resolve("nobody.sock") + "\n    all: true\n"
                    + "    reconnect-backoff-max: 20ms\n"
                    + "  healthy:\n    socket: " + healthy.path() + "\n    all: true\n",
                    Overrides.none().with("--out-socket", "").with("--flushtime", "1h").with("--reconnect-retries", 1));
            OutputCounters gone = d.counters().output("gone");
            long started = System.nanoTime();
            try (EveWriter w = new EveWriter(d.in)) {
                for (int i = 0; i < 100; i++) {
                    w.line(event("alert", i));
                }
                w.flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> gone.disabled.get() == 1);
                // reconnect-retries 1 = 10 s of failed attempts (FEVER's spacing), not one fast retry
                assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(10_000_000_000L);
                for (int i = 100; i < 300; i++) {
                    w.line(event("alert", i));
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> healthy.lineCount() == 300);
            assertThat(gone.connectFailures.sum()).isGreaterThan(10); // 20 ms backoff cap: many attempts in 10 s
            d.stop();
            assertThat(d.counters().linesDecoded.sum()).isEqualTo(300);
            assertThat(gone.offered.sum()).isEqualTo(300);
            assertThat(gone.droppedDisabled.sum()).isEqualTo(300);
            assertThat(gone.written.sum()).isZero();
            assertAccountingExact(gone);
        }
    }
}

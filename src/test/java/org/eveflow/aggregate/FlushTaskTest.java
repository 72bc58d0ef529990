package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eveflow.event.EveEvent;
import org.eveflow.counters.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flush that fails counts what it lost and does not end the periodic schedule; a flush with nothing
 * in it says so only at debug level.
 */
class FlushTaskTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private static EveEvent flow(int k) {
        return new EveEvent("flow", "2026-11-29T05:00:00.000000+0000", "10.0.0." + k, 40000, "192.0.2.1", 443,
                1, 2, 3, 4);
    }

    /**
     * A stats sample taken while an output takes a block (its offered counter already grown) shows the
     * block in aggregates_emitted: the two never disagree in the log at a flush.
     */
    @Test
    void aBlockIsCountedEmittedBeforeTheOutputsSeeIt() throws Exception {
        Counters counters = new Counters();
        FlowTable table = new FlowTable(1000, 10, 10_000, counters);
        AtomicLong offered = new AtomicLong();
        java.util.List<long[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        AggregateSink sink = (buf, len, lines, deadline) -> {
            offered.addAndGet(lines); // as an output counts output_offered, then a sample reads both
            seen.add(new long[] {offered.get(), counters.aggregatesEmitted.sum()});
        };
        for (int k = 0; k < 5; k++) {
            table.add(flow(k));
        }
        FlushTask task = new FlushTask(table, sink, counters, executor);
        task.finalFlush(System.nanoTime() + 5_000_000_000L);
        assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s[1]).isEqualTo(s[0]));
        assertThat(counters.aggregatesEmitted.sum()).isEqualTo(5);
    }

    @Test
    void aFailedFlushCountsItsAggregatesLostAndTheScheduleGoesOn() {
        Counters counters = new Counters();
        FlowTable table = new FlowTable(1000, 10, 10_000, counters);
        AtomicInteger calls = new AtomicInteger();
        AtomicLong received = new AtomicLong();
        AggregateSink sink = (buf, len, lines, deadline) -> {
            if (calls.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory (test)");
            }
            received.addAndGet(lines);
        };
        for (int k = 0; k < 3; k++) {
            table.add(flow(k));
        }
        new FlushTask(table, sink, counters, executor).start(Duration.ofMillis(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> counters.aggregatesLost.sum() == 3);

        for (int k = 0; k < 5; k++) {
            table.add(flow(k));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 5);
        assertThat(counters.aggregatesLost.sum()).isEqualTo(3);
        assertThat(counters.aggregatesEmitted.sum()).isEqualTo(5);
    }

    @Test
    void anEmptyFlushLogsOnlyAtDebug() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(FlushTask.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        log.addAppender(lines);
        ch.qos.logback.classic.Level level = log.getLevel();
        log.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try {
            Counters counters = new Counters();
            FlowTable table = new FlowTable(1000, 10, 10_000, counters);
            AtomicLong received = new AtomicLong();
            new FlushTask(table, (buf, len, n, deadline) -> received.addAndGet(n), counters, executor)
                    .start(Duration.ofMillis(20));
            await().atMost(Duration.ofSeconds(10)).until(() -> logged(lines).size() >= 2); // empty flushes, at debug
            table.add(flow(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> logged(lines).stream().anyMatch(
                    e -> e.getKeyValuePairs() != null && e.getLevel() == ch.qos.logback.classic.Level.INFO));
            for (ch.qos.logback.classic.spi.ILoggingEvent e : logged(lines)) {
                if (e.getKeyValuePairs() == null) {
                    continue; // not a flush's line
                }
                boolean empty = e.getKeyValuePairs().stream().anyMatch(kv -> kv.key.equals("in_flows")
                        && Long.valueOf(0).equals(kv.value));
                assertThat(e.getLevel()).as(e.getKeyValuePairs().toString())
                        .isEqualTo(empty ? ch.qos.logback.classic.Level.DEBUG : ch.qos.logback.classic.Level.INFO);
            }
        } finally {
            log.setLevel(level);
            log.detachAppender(lines);
        }
    }

    /** What the appender holds now (it appends under its own lock, on the flush thread). */
    private static java.util.List<ch.qos.logback.classic.spi.ILoggingEvent> logged(
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> a) {
        synchronized (a) {
            return new java.util.ArrayList<>(a.list);
        }
    }
}

package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eveflow.event.EveEvent;
import org.eveflow.stats.Counters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A flush that fails counts what it lost and does not end the periodic schedule. */
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
}

package org.eveflow.stats;

import org.eveflow.counters.Counters;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Every sample the reporter hands on has a time later than the one before, however fast reports follow
 * each other and from however many threads (the scheduled one and shutdown's last): InfluxDB keeps
 * one point per series and time, so two samples in one millisecond would become one.
 */
class StatsReporterTest {
    private final List<Long> times = new ArrayList<>(); // written by publish, under the reporter's lock

    private final StatsReporter reporter = new StatsReporter(new Counters(), new StatsSink() {
        @Override
        public void publish(Sample sample) {
            times.add(sample.epochMillis());
        }

        @Override
        public void close(long deadlineNanos) {
        }
    });

    @Test
    void reportsFromTwoThreadsGetStrictlyIncreasingTimes() throws Exception {
        int perThread = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        reporter.report();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        synchronized (reporter) {
            assertThat(times).hasSize(2 * perThread);
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i)).as("sample %d", i).isGreaterThan(times.get(i - 1));
            }
        }
    }
}

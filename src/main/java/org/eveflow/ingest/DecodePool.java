package org.eveflow.ingest;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that decode and aggregate batches of lines for every connection ({@link BatchDispatcher}),
 * so one Suricata connection can use more than one core. Counts batches submitted but not yet
 * completed, so shutdown can wait until every line read has been routed. Thread-safe.
 */
public final class DecodePool {
    private final Executor executor;
    private final AtomicLong inFlight = new AtomicLong();

    public DecodePool(int threads) {
        this(Executors.newFixedThreadPool(threads, new DefaultThreadFactory("eveflow-decode", true)));
    }

    /** Batches run on {@code executor}: in tests, one that runs them when, and in the order, the test says. */
    DecodePool(Executor executor) {
        this.executor = executor;
    }

    void submit(Runnable batch) {
        inFlight.incrementAndGet();
        executor.execute(batch);
    }

    void completed() {
        inFlight.decrementAndGet();
    }

    /** Waits until every submitted batch has completed; false if the deadline passed first. */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadlineNanos >= 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    public void shutdown() {
        if (!(executor instanceof ExecutorService)) {
            return;
        }
        ExecutorService threads = (ExecutorService) executor;
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.eveflow.output;

import java.util.function.LongSupplier;

/**
 * Whether to try allocating direct memory again after an allocation found none. A failed attempt is
 * expensive: the JDK first runs a full garbage collection (System.gc) and retries for up to ~0.5 s
 * before it gives up, on the thread that asked (a decode thread, the flush thread), so trying for
 * every line would all but stop ingest while the memory stays short. After a failure, attempts are
 * skipped (the caller drops what it could not copy, counted) for a pause that starts at
 * {@value #FIRST_PAUSE_MS} ms and doubles with each failure in a row up to {@value #MAX_PAUSE_MS} ms;
 * a successful attempt ends it. Thread-safe; racing threads may both try once.
 */
final class AllocationBackoff {
    static final long FIRST_PAUSE_MS = 100;
    static final long MAX_PAUSE_MS = 5_000;

    private final LongSupplier nanoTime;
    /** System.nanoTime before which no attempt is made; meaningful only while {@link #failing}. */
    private volatile long pauseUntil;
    private volatile boolean failing;
    private long pauseMs = FIRST_PAUSE_MS;

    AllocationBackoff() {
        this(System::nanoTime);
    }

    AllocationBackoff(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Whether an allocation may be tried now. */
    boolean mayTry() {
        return !failing || nanoTime.getAsLong() - pauseUntil >= 0;
    }

    /** An attempt succeeded. */
    void succeeded() {
        if (failing) {
            synchronized (this) {
                failing = false;
                pauseMs = FIRST_PAUSE_MS;
            }
        }
    }

    /** An attempt found no memory: the next one waits for the pause. */
    synchronized void failed() {
        long pause = failing ? Math.min(MAX_PAUSE_MS, pauseMs * 2) : FIRST_PAUSE_MS;
        pauseMs = pause;
        pauseUntil = nanoTime.getAsLong() + pause * 1_000_000L;
        failing = true;
    }
}

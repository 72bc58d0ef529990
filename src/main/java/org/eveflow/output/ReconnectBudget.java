package org.eveflow.output;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * FEVER's {@code reconnect-retries N} as a budget of time: FEVER retries a lost output every 10 s,
 * so N retries are an outage of N × 10 s. eveflow retries sooner (its own backoff), and the budget is
 * spent once the connection attempts have failed without a break for that long, however many
 * attempts that was. 0 means no limit. A successful connection resets it. Confined to the output's
 * event loop; the clock is injected for tests.
 */
final class ReconnectBudget {
    /** FEVER's spacing of reconnection attempts. */
    static final long RETRY_SPACING_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final long budgetNanos;
    private final LongSupplier nanoClock;
    private boolean failing;
    private long firstFailureNanos;

    ReconnectBudget(int retries, LongSupplier nanoClock) {
        this.budgetNanos = retries * RETRY_SPACING_NANOS;
        this.nanoClock = nanoClock;
    }

    /** A connection attempt failed; returns whether the budget is now spent. */
    boolean failed() {
        long now = nanoClock.getAsLong();
        if (!failing) {
            failing = true;
            firstFailureNanos = now;
        }
        return budgetNanos > 0 && now - firstFailureNanos >= budgetNanos;
    }

    /** Connected: the next failure starts a new outage. */
    void connected() {
        failing = false;
    }

    /** How long the current outage has lasted, in milliseconds (0 when connected). */
    long outageMillis() {
        return failing ? TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - firstFailureNanos) : 0;
    }
}

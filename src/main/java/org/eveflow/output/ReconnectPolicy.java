package org.eveflow.output;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

/**
 * When an output connects again after a failed attempt or a lost connection: after a delay that
 * starts at reconnect-backoff-min (50 ms by default) and doubles up to reconnect-backoff-max, plus a random jitter of up to a quarter
 * (so outputs that lost their reader together do not retry in step), until the
 * {@link ReconnectBudget} is spent (reconnect-retries × 10 s of failures without a break; never with
 * 0). A connection resets both. The clock and the jitter are injected, so tests run it on a fake
 * clock. Confined to the output's event loop.
 */
final class ReconnectPolicy {
    private final long firstBackoffMs;
    private final long maxBackoffMs;
    private final ReconnectBudget budget;
    /** Given a bound, a jitter in [0, bound]. */
    private final LongUnaryOperator jitter;
    private long backoffMs;
    private int failedAttempts;

    ReconnectPolicy(Duration minBackoff, Duration maxBackoff, int retries, LongSupplier nanoClock,
                    LongUnaryOperator jitter) {
        this.maxBackoffMs = maxBackoff.toMillis();
        this.firstBackoffMs = Math.min(minBackoff.toMillis(), maxBackoffMs);
        this.backoffMs = firstBackoffMs;
        this.budget = new ReconnectBudget(retries, nanoClock);
        this.jitter = jitter;
    }

    /** A connection attempt failed; returns whether to give up (the budget is spent). */
    boolean attemptFailed() {
        failedAttempts++;
        return budget.failed();
    }

    /** The delay before the next attempt, in milliseconds; each call doubles the next one, up to the maximum. */
    long nextDelayMillis() {
        long delay = backoffMs + jitter.applyAsLong(backoffMs / 4);
        backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
        return delay;
    }

    /** Connected: the next failure starts from the first delay and a new budget. */
    void connected() {
        backoffMs = firstBackoffMs;
        failedAttempts = 0;
        budget.connected();
    }

    /** Attempts that failed since the last connection. */
    int failedAttempts() {
        return failedAttempts;
    }

    /** How long connecting has been failing, in milliseconds (0 when connected). */
    long outageMillis() {
        return budget.outageMillis();
    }
}

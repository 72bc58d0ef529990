package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** After a failed allocation, the next attempt waits: 100 ms, doubling to 5 s while failures go on. */
class AllocationBackoffTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AllocationBackoff backoff = new AllocationBackoff(now::get);

    private void advanceMs(long ms) {
        now.addAndGet(ms * 1_000_000L);
    }

    @Test
    void pausesDoubleWhileFailingAndASuccessEndsThem() {
        assertThat(backoff.mayTry()).isTrue();
        long[] pauses = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
        for (long pause : pauses) {
            backoff.failed();
            assertThat(backoff.mayTry()).isFalse();
            advanceMs(pause - 1);
            assertThat(backoff.mayTry()).as("1 ms before the end of a %d ms pause", pause).isFalse();
            advanceMs(1);
            assertThat(backoff.mayTry()).isTrue();
        }
        backoff.succeeded();
        assertThat(backoff.mayTry()).isTrue();
        backoff.failed();
        advanceMs(100);
        assertThat(backoff.mayTry()).as("back to the first pause").isTrue();
    }
}

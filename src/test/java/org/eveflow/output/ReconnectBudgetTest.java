package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** reconnect-retries N is N × 10 s of failed attempts without a break, whatever the attempt count (fake clock). */
class ReconnectBudgetTest {
    private long now = 1_000;

    private void advanceMillis(long ms) {
        now += TimeUnit.MILLISECONDS.toNanos(ms);
    }

    @Test
    void fiveRetriesAreFiftySecondsOfFailures() {
        ReconnectBudget b = new ReconnectBudget(5, () -> now);
        assertThat(b.failed()).isFalse();
        for (int i = 0; i < 999; i++) { // eveflow's backoff tries far more often than FEVER: 999 fast attempts
            advanceMillis(50);
            assertThat(b.failed()).as("attempt %d at %d ms", i, (i + 1) * 50).isFalse();
        }
        advanceMillis(49_999 - 999 * 50);
        assertThat(b.failed()).isFalse();
        assertThat(b.outageMillis()).isEqualTo(49_999);
        advanceMillis(1);
        assertThat(b.failed()).isTrue();
    }

    @Test
    void aConnectionStartsANewOutage() {
        ReconnectBudget b = new ReconnectBudget(1, () -> now);
        b.failed();
        advanceMillis(9_000);
        assertThat(b.failed()).isFalse();
        b.connected();
        assertThat(b.outageMillis()).isZero();
        advanceMillis(5_000);
        assertThat(b.failed()).isFalse(); // a new outage: 0 s of 10
        advanceMillis(9_999);
        assertThat(b.failed()).isFalse();
        advanceMillis(1);
        assertThat(b.failed()).isTrue();
    }

    @Test
    void zeroRetriesNeverSpends() {
        ReconnectBudget b = new ReconnectBudget(0, () -> now);
        for (int i = 0; i < 100; i++) {
            advanceMillis(3_600_000);
            assertThat(b.failed()).isFalse();
        }
    }
}

package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ReconnectPolicy} on a fake clock: the backoff's delays, its jitter's bound, the budget, and what a connection resets. */
class ReconnectPolicyTest {
    private long now = 1_000_000_000L;

    private ReconnectPolicy policy(Duration max, int retries, boolean fullJitter) {
        return new ReconnectPolicy(Duration.ofMillis(50), max, retries, () -> now, bound -> fullJitter ? bound : 0);
    }

    /** reconnect-backoff-min: the first delay, doubled from there, and again after a connection; capped by the maximum. */
    @Test
    void delaysStartAtTheConfiguredMinimum() {
        ReconnectPolicy p = new ReconnectPolicy(Duration.ofMillis(700), Duration.ofSeconds(5), 0, () -> now, b -> 0);
        assertThat(List.of(p.nextDelayMillis(), p.nextDelayMillis(), p.nextDelayMillis(), p.nextDelayMillis()))
                .containsExactly(700L, 1400L, 2800L, 5000L);
        p.connected();
        assertThat(p.nextDelayMillis()).isEqualTo(700L);
        ReconnectPolicy capped = new ReconnectPolicy(Duration.ofSeconds(9), Duration.ofSeconds(2), 0, () -> now, b -> 0);
        assertThat(capped.nextDelayMillis()).isEqualTo(2000L);
    }

    @Test
    void delaysDoubleFromFiftyMillisecondsUpToTheMaximum() {
        ReconnectPolicy p = policy(Duration.ofSeconds(1), 0, false);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            delays.add(p.nextDelayMillis());
        }
        assertThat(delays).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);
    }

    @Test
    void theJitterAddsAtMostAQuarter() {
        ReconnectPolicy p = policy(Duration.ofSeconds(5), 0, true);
        assertThat(p.nextDelayMillis()).isEqualTo(50 + 12);
        assertThat(p.nextDelayMillis()).isEqualTo(100 + 25);
    }

    @Test
    void aConnectionResetsTheDelayAndTheFailures() {
        ReconnectPolicy p = policy(Duration.ofSeconds(5), 0, false);
        p.attemptFailed();
        p.nextDelayMillis();
        p.attemptFailed();
        p.nextDelayMillis();
        assertThat(p.failedAttempts()).isEqualTo(2);
        p.connected();
        assertThat(p.failedAttempts()).isZero();
        assertThat(p.nextDelayMillis()).isEqualTo(50);
    }

    @Test
    void withoutRetriesItNeverGivesUp() {
        ReconnectPolicy p = policy(Duration.ofSeconds(5), 0, false);
        for (int i = 0; i < 1000; i++) {
            assertThat(p.attemptFailed()).isFalse();
            now += TimeUnit.SECONDS.toNanos(5);
        }
    }

    @Test
    void itGivesUpAfterRetriesTimesTenSecondsOfFailuresWithoutABreak() {
        ReconnectPolicy p = policy(Duration.ofSeconds(5), 2, false);
        assertThat(p.attemptFailed()).isFalse(); // the outage starts
        now += TimeUnit.SECONDS.toNanos(19);
        assertThat(p.attemptFailed()).isFalse();
        assertThat(p.outageMillis()).isEqualTo(19_000);
        p.connected(); // a break: a new outage, a new budget
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(p.attemptFailed()).isFalse();
        now += TimeUnit.SECONDS.toNanos(19);
        assertThat(p.attemptFailed()).isFalse();
        now += TimeUnit.SECONDS.toNanos(1);
        assertThat(p.attemptFailed()).isTrue();
        assertThat(p.failedAttempts()).isEqualTo(3);
    }
}

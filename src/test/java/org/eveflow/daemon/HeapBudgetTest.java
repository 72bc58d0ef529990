package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.eveflow.config.Config;
import org.junit.jupiter.api.Test;

/** The start-up heap check: the flow table's worst case against -Xmx, with the numbers. */
class HeapBudgetTest {
    private static Config.Aggregate aggregate(int maxKeys, long portsTotal) {
        return new Config.Aggregate(Duration.ofMinutes(1), maxKeys, 100, portsTotal, List.of());
    }

    @Test
    void theDefaultsFitTheUnitsHeapAndAMillionKeysDoNotFit64MiB() {
        // 2 windows x 125,000 keys x 300 B + 2 x 1,000,000 ports x 16 B = 107,000,000 B
        assertThat(HeapBudget.bound(aggregate(100_000, 1_000_000))).isEqualTo(107_000_000L);
        assertThat(HeapBudget.warning(aggregate(100_000, 1_000_000), 1L << 30)).isNull();
        assertThat(HeapBudget.warning(aggregate(100_000, 1_000_000), 64L << 20)).isEqualTo(
                "the flow table may need up to 102 MiB of heap (max-keys 100000, src-ports-total 1000000), more than "
                        + "60 % of the JVM's 64 MiB (-Xmx): under a flood of new keys the heap can run out; raise -Xmx "
                        + "or lower aggregate.max-keys (docs/operations.md, Memory sizing)");
        assertThat(HeapBudget.warning(aggregate(1_000_000, 1_000_000), 1L << 30)).contains("up to 745 MiB");
    }
}

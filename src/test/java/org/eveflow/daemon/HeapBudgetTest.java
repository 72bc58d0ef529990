package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The flow table's heap model: the auto max-keys it derives, and the start-up warning for fixed values. */
class HeapBudgetTest {
    /** Runtime.maxMemory() with the package's -Xmx1g -Xmn64m -XX:+UseParallelGC, and with -Xmx128m. */
    private static final long UNIT_HEAP = 1_051_721_728L;
    private static final long SMALL_HEAP = 128_974_848L;


    @Test
    void autoTakesThreeQuartersOfTheHeapAndHoldsAMillionKeysInTheUnitsHeap() {
        // 2.25 windows x 300 B + 2 windows x 2 ports x 16 B = 739 B per key
        assertThat(HeapBudget.derivedMaxKeys(UNIT_HEAP)).isEqualTo(1_067_000);
        assertThat(HeapBudget.derivedPortsTotal(1_067_000)).isEqualTo(2_134_000L);
        assertThat(HeapBudget.derivedMaxKeys(SMALL_HEAP)).isEqualTo(130_000);
        assertThat(HeapBudget.derivedMaxKeys(16L << 20)).isEqualTo(17_000);
        assertThat(HeapBudget.derivedMaxKeys(1L << 20)).isEqualTo(HeapBudget.MIN_KEYS);
        for (long heap : new long[] {SMALL_HEAP, UNIT_HEAP, 8L << 30}) {
            int keys = HeapBudget.derivedMaxKeys(heap);
            assertThat(HeapBudget.warning(keys, HeapBudget.derivedPortsTotal(keys), heap)).isNull();
        }
        assertThat(HeapBudget.derivation(1_067_000, 2_134_000L, UNIT_HEAP)).isEqualTo("aggregate.max-keys auto: "
                + "1067000 keys and src-ports-total 2134000, from 75 % of the JVM's 1003 MiB heap at about 739 B per key"
                + " (docs/operations.md, Memory sizing)");
    }

    @Test
    void aFixedValueTooLargeForTheHeapIsNamedWithTheNumbers() {
        // 100,000 x 2.25 x 300 B + 2 x 1,000,000 ports x 16 B = 99,500,000 B
        assertThat(HeapBudget.bound(100_000, 1_000_000)).isEqualTo(99_500_000L);
        assertThat(HeapBudget.warning(100_000, 1_000_000, 1L << 30)).isNull();
        assertThat(HeapBudget.warning(100_000, 1_000_000, 64L << 20)).isEqualTo(
                "the flow table may need up to 94 MiB of heap (max-keys 100000, src-ports-total 1000000), more than "
                        + "75 % of the JVM's 64 MiB (-Xmx): under a flood of new keys the heap can run out; raise -Xmx "
                        + "or lower aggregate.max-keys, or set it to auto (docs/operations.md, Memory sizing)");
        assertThat(HeapBudget.warning(2_000_000, 1_000_000, 1L << 30)).contains("up to 1317 MiB");
    }
}

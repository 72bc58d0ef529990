package org.eveflow.daemon;

import java.util.Locale;

/**
 * The heap the flow table may take (docs/operations.md "Memory sizing"), the model behind both the
 * default of {@code max-keys} and {@code src-ports-total} ({@code auto}: derived from the heap the JVM
 * has) and the start-up warning for fixed values that do not fit. A window holds about
 * {@value #BYTES_PER_KEY} bytes per key (measured with FlowTableMemory: 210–263 B with IPv4 keys, their
 * timestamp and one listed port, including the room its arrays keep for growth); while a window is written out (up to 1.25 ×
 * max-keys keys) the next one takes up to max-keys before new keys are refused, so 2.25 windows, plus
 * 16 bytes per listed src port in each of two windows. {@value #SHARE_PERCENT} % of the heap is the
 * table's; the rest is for decoding and the JVM. Pure, thread-safe.
 */
final class HeapBudget {
    static final long BYTES_PER_KEY = 300;
    static final long BYTES_PER_PORT = 16;
    /** Per key of max-keys: 2.25 windows of it. */
    private static final long TABLE_BYTES_PER_KEY = BYTES_PER_KEY * 9 / 4;
    /** Per port of src-ports-total: one in each of two windows. */
    private static final long TABLE_BYTES_PER_PORT = 2 * BYTES_PER_PORT;
    static final int SHARE_PERCENT = 75;
    /** With {@code auto}, src-ports-total is this many per key. */
    static final int PORTS_PER_KEY = 2;
    static final int MIN_KEYS = 1_000;
    static final int MAX_KEYS = 100_000_000;

    private HeapBudget() {
    }

    /** The flow table's worst case in bytes. */
    static long bound(long maxKeys, long portsTotal) {
        return maxKeys * TABLE_BYTES_PER_KEY + portsTotal * TABLE_BYTES_PER_PORT;
    }

    /** max-keys for {@code auto}: as many keys, with their ports, as fit the share of {@code maxHeap}, in thousands. */
    static int derivedMaxKeys(long maxHeap) {
        long perKey = TABLE_BYTES_PER_KEY + PORTS_PER_KEY * TABLE_BYTES_PER_PORT;
        long keys = maxHeap / 100 * SHARE_PERCENT / perKey / 1000 * 1000;
        return (int) Math.max(MIN_KEYS, Math.min(MAX_KEYS, keys));
    }

    /** src-ports-total for {@code auto}. */
    static long derivedPortsTotal(int maxKeys) {
        return (long) maxKeys * PORTS_PER_KEY;
    }

    /** The start-up line that says what {@code auto} gave. */
    static String derivation(int maxKeys, long portsTotal, long maxHeap) {
        return String.format(Locale.ROOT, "aggregate.max-keys auto: %d keys and src-ports-total %d, from %d %% of the"
                + " JVM's %d MiB heap at about %d B per key (docs/operations.md, Memory sizing)", maxKeys, portsTotal,
                SHARE_PERCENT, maxHeap >> 20, bound(maxKeys, portsTotal) / maxKeys);
    }

    /** A warning when the table's worst case does not fit the share of {@code maxHeap}; null when it does. */
    static String warning(long maxKeys, long srcPortsTotal, long maxHeap) {
        long bound = bound(maxKeys, srcPortsTotal);
        if (maxHeap == Long.MAX_VALUE || bound <= maxHeap / 100 * SHARE_PERCENT) {
            return null;
        }
        return String.format(Locale.ROOT, "the flow table may need up to %d MiB of heap (max-keys %d, src-ports-total %d),"
                + " more than %d %% of the JVM's %d MiB (-Xmx): under a flood of new keys the heap can run out; raise -Xmx"
                + " or lower aggregate.max-keys, or set it to auto (docs/operations.md, Memory sizing)", bound >> 20,
                maxKeys, srcPortsTotal, SHARE_PERCENT, maxHeap >> 20);
    }
}

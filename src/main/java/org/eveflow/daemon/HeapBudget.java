package org.eveflow.daemon;

import org.eveflow.config.Config;

/**
 * The heap the flow table may take under a configuration (docs/operations.md "Memory sizing"): two windows (the current
 * one and the one being flushed) of 1.25 × max-keys keys at about {@value #BYTES_PER_KEY} bytes each,
 * plus two windows of listed src ports at 16 bytes each; compared at start with the JVM's -Xmx. When it
 * is more than {@value #SHARE_PERCENT} % of the heap (the rest is for decoding batches and the JVM),
 * the daemon warns with the numbers, before the table can run the heap out under load. Immutable.
 */
final class HeapBudget {
    static final long BYTES_PER_KEY = 300;
    static final int SHARE_PERCENT = 60;

    private HeapBudget() {
    }

    /** The flow table's worst case in bytes. */
    static long bound(Config.Aggregate a) {
        return 2 * (a.maxKeys() + a.maxKeys() / 4L) * BYTES_PER_KEY + 2 * a.srcPortsTotal() * 16;
    }

    /** A warning when the table's worst case does not fit the share of {@code maxHeap}; null when it does. */
    static String warning(Config.Aggregate a, long maxHeap) {
        long bound = bound(a);
        if (maxHeap == Long.MAX_VALUE || bound * 100 <= maxHeap * SHARE_PERCENT) {
            return null;
        }
        return String.format("the flow table may need up to %d MiB of heap (max-keys %d, src-ports-total %d), more "
                + "than %d %% of the JVM's %d MiB (-Xmx): under a flood of new keys the heap can run out; raise -Xmx "
                + "or lower aggregate.max-keys (docs/operations.md, Memory sizing)", bound >> 20, a.maxKeys(), a.srcPortsTotal(),
                SHARE_PERCENT, maxHeap >> 20);
    }
}

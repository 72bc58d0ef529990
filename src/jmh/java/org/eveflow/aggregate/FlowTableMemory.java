package org.eveflow.aggregate;

import java.util.List;
import java.util.Random;
import org.eveflow.event.EveEvent;
import org.eveflow.counters.Counters;

/**
 * The heap a flow table takes per key (docs/operations.md "Memory sizing"): 1M IPv4 keys with
 * Suricata's timestamp and one listed src port each, first in a window that grew to hold them, then
 * also in the window that took over at a flush (sized for the first) while the first is still held,
 * as during a flush. Heap used after full collections, so run it with nothing else in the JVM:
 * {@code java -cp target/benchmarks.jar org.eveflow.aggregate.FlowTableMemory}.
 */
public final class FlowTableMemory {
    private FlowTableMemory() {
    }

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        FlowTable table = new FlowTable(2 * keys, 10, 4L * keys, new Counters());
        long empty = usedHeap();
        fill(table, keys, 1);
        long one = usedHeap();
        List<FlowWindow> written = table.swap(false);
        fill(table, keys, 2);
        long two = usedHeap();
        System.out.printf("%d keys in %d stripes: one window %.0f B per key, two windows %.0f B per key%n", keys,
                written.size(), (one - empty) / (double) keys, (two - empty) / (double) keys);
    }

    private static void fill(FlowTable table, int keys, int seed) {
        Random random = new Random(seed);
        for (int k = 0; k < keys; k++) {
            String src = "10." + (k >> 16) + "." + ((k >> 8) & 255) + "." + (k & 255);
            table.add(new EveEvent("flow", "2026-12-05T14:08:56.123456+0000", src, 40_000 + random.nextInt(20_000),
                    "192.0.2." + (k % 7), 443, 1, 2, 300, 400));
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }
}

package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eveflow.event.EveEvent;
import org.eveflow.stats.Counters;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    private final Counters counters = new Counters();

    private static EveEvent flow(String src, int srcPort, String dst, int dstPort, String ts) {
        return new EveEvent("flow", ts, src, srcPort, dst, dstPort, 1, 2, 30, 40);
    }

    private static Map<FlowKey, FlowRecord> drain(FlowTable t) {
        Map<FlowKey, FlowRecord> all = new HashMap<>();
        for (HashMap<FlowKey, FlowRecord> m : t.swap()) {
            all.putAll(m);
        }
        return all;
    }

    @Test
    void feversCollidingKeysStayApart() {
        FlowTable t = new FlowTable(1000, 10, 1000, counters);
        t.add(flow("1.1.1.1", 1, "11.1.1.1", 80, "t"));
        t.add(flow("1.1.1.11", 2, "1.1.1.1", 80, "t"));
        t.add(flow("192.0.2.1", 3, "10.0.0.5", 3389, "t"));
        t.add(flow("192.0.2.1", 4, "10.0.0.53", 389, "t"));
        Map<FlowKey, FlowRecord> m = drain(t);
        assertThat(m).hasSize(4);
        assertThat(m.values()).allSatisfy(r -> assertThat(r.flowCount).isEqualTo(1));
    }

    @Test
    void sumsCountsAndPortsPerKey() {
        FlowTable t = new FlowTable(1000, 10, 1000, counters);
        t.add(flow("a", 1000, "b", 443, "2026-11-28T10:00:05.000000+0000"));
        t.add(flow("a", 1001, "b", 443, "2026-11-28T10:00:01.000000+0000"));
        t.add(flow("a", 1000, "b", 443, "2026-11-28T10:00:03.000000+0000"));
        FlowRecord r = drain(t).get(new FlowKey("a", "b", 443));
        assertThat(r.flowCount).isEqualTo(3);
        assertThat(r.pktsToServer).isEqualTo(3);
        assertThat(r.pktsToClient).isEqualTo(6);
        assertThat(r.bytesToServer).isEqualTo(90);
        assertThat(r.bytesToClient).isEqualTo(120);
        assertThat(java.util.Arrays.copyOf(r.srcPorts, r.portCount)).containsExactly(1000, 1001, 1000);
        assertThat(r.timestamp).isEqualTo("2026-11-28T10:00:01.000000+0000");
        assertThat(counters.flowsAggregated.sum()).isEqualTo(3);
    }

    @Test
    void icmpFlowsAggregateUnderPortZero() {
        FlowTable t = new FlowTable(1000, 10, 1000, counters);
        t.add(flow("a", EveEvent.NO_PORT, "b", EveEvent.NO_PORT, "t"));
        t.add(flow("a", EveEvent.NO_PORT, "b", EveEvent.NO_PORT, "t"));
        FlowRecord r = drain(t).get(new FlowKey("a", "b", 0));
        assertThat(r.flowCount).isEqualTo(2);
        assertThat(java.util.Arrays.copyOf(r.srcPorts, r.portCount)).containsExactly(0, 0);
    }

    @Test
    void srcPortListsAreCappedPerKeyAndInTotalButFlowCountStaysExact() {
        FlowTable t = new FlowTable(1000, 3, 5, counters);
        for (int i = 0; i < 10; i++) {
            t.add(flow("a", 1000 + i, "b", 1, "t"));
        }
        for (int i = 0; i < 10; i++) {
            t.add(flow("c", 2000 + i, "d", 1, "t"));
        }
        Map<FlowKey, FlowRecord> m = drain(t);
        assertThat(m.get(new FlowKey("a", "b", 1)).portCount).isEqualTo(3);
        assertThat(m.get(new FlowKey("a", "b", 1)).flowCount).isEqualTo(10);
        assertThat(m.get(new FlowKey("c", "d", 1)).portCount).isEqualTo(2); // total budget 5
        assertThat(m.get(new FlowKey("c", "d", 1)).flowCount).isEqualTo(10);
        assertThat(counters.srcPortsUnlisted.sum()).isEqualTo(15);
        // the budget is given back by the swap
        t.add(flow("c", 1, "d", 1, "t"));
        assertThat(drain(t).get(new FlowKey("c", "d", 1)).portCount).isEqualTo(1);
    }

    @Test
    void reachingMaxKeysAsksForOneEarlyFlushAndRefusesNewKeysWhileAFlushIsBusy() {
        FlowTable t = new FlowTable(8, 10, 1000, counters);
        AtomicInteger early = new AtomicInteger();
        t.onFull(early::incrementAndGet);
        for (int i = 0; i < 8; i++) {
            assertThat(t.add(flow("k" + i, 1, "d", 1, "t"))).isTrue();
        }
        assertThat(early.get()).isEqualTo(1);
        t.flushBusy(true);
        assertThat(t.add(flow("new", 1, "d", 1, "t"))).isFalse();
        assertThat(t.add(flow("k0", 2, "d", 1, "t"))).isTrue(); // existing keys keep updating
        t.flushBusy(false);
        // Without a busy flush: slack up to 1.25 x max-keys (8 + 2) while the early flush starts.
        assertThat(t.add(flow("new1", 1, "d", 1, "t"))).isTrue();
        assertThat(t.add(flow("new2", 1, "d", 1, "t"))).isTrue();
        assertThat(t.add(flow("new3", 1, "d", 1, "t"))).isFalse();
        assertThat(counters.flowsRefused.sum()).isEqualTo(2);
        assertThat(t.size()).isEqualTo(10);
        assertThat(early.get()).isEqualTo(1);
        Map<FlowKey, FlowRecord> m = drain(t);
        assertThat(m).hasSize(10);
        assertThat(m.get(new FlowKey("k0", "d", 1)).flowCount).isEqualTo(2);
        assertThat(t.size()).isZero();
        for (int i = 0; i < 8; i++) {
            t.add(flow("again" + i, 1, "d", 1, "t"));
        }
        assertThat(early.get()).isEqualTo(2);
    }

    @Test
    void concurrentAddsAndSwapsLoseAndDoubleNothing() throws Exception {
        FlowTable t = new FlowTable(1_000_000, 1, 1_000_000, counters);
        int threads = 2;
        int perThread = 300_000;
        AtomicBoolean done = new AtomicBoolean();
        List<Map<FlowKey, FlowRecord>> windows = new ArrayList<>();
        Thread swapper = new Thread(() -> {
            while (!done.get()) {
                Map<FlowKey, FlowRecord> w = new HashMap<>();
                t.swap().forEach(w::putAll);
                windows.add(w);
            }
        });
        swapper.start();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread w = new Thread(() -> {
                for (int n = 0; n < perThread; n++) {
                    t.add(new EveEvent("flow", "t", "10.0.0." + (n % 97), n, "10.1.0." + id, n % 13, 1, 2, 3, 4));
                }
            });
            writers.add(w);
            w.start();
        }
        for (Thread w : writers) {
            w.join();
        }
        done.set(true);
        swapper.join();
        windows.add(drain(t));
        long flows = 0;
        long pkts = 0;
        long bytes = 0;
        for (Map<FlowKey, FlowRecord> w : windows) {
            for (FlowRecord r : w.values()) {
                flows += r.flowCount;
                pkts += r.pktsToServer + r.pktsToClient;
                bytes += r.bytesToServer + r.bytesToClient;
            }
        }
        long total = (long) threads * perThread;
        assertThat(flows).isEqualTo(total);
        assertThat(pkts).isEqualTo(3 * total);
        assertThat(bytes).isEqualTo(7 * total);
        assertThat(windows.size()).isGreaterThan(2);
    }
}

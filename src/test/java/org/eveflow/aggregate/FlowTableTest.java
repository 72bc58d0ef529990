package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eveflow.event.EveEvent;
import org.eveflow.counters.Counters;
import org.junit.jupiter.api.Test;

class FlowTableTest {
    private final Counters counters = new Counters();

    private static EveEvent flow(String src, int srcPort, String dst, int dstPort, String ts) {
        return new EveEvent("flow", ts, src, srcPort, dst, dstPort, 1, 2, 30, 40);
    }

    private static Map<FlowKey, FlowRecord> drain(FlowTable t) {
        List<FlowWindow> windows = t.swap(false);
        Map<FlowKey, FlowRecord> all = FlowRecord.all(windows);
        windows.forEach(t::recycle);
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
        assertThat(java.util.Arrays.copyOf(r.srcPorts, r.portCount)).containsExactly(1000, 1000, 1001); // ascending
        assertThat(r.timestamp).isEqualTo("2026-11-28T10:00:01.000000+0000");
        assertThat(counters.flowsAggregated.sum()).isEqualTo(3);
    }

    /**
     * A key with more flows than are listed lists the smallest src ports of its flows, ascending,
     * whatever their order of arrival (parallel connections and decode threads vary it from run to run).
     */
    @Test
    void theListedSrcPortsAreTheSmallestWhateverTheOrder() {
        List<Integer> srcPorts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            srcPorts.add(1024 + (i * 7919) % 60_000);
        }
        srcPorts.add(1024); // a port twice: listed twice
        int[] expected = srcPorts.stream().mapToInt(Integer::intValue).sorted().limit(100).toArray();
        for (long seed = 1; seed <= 5; seed++) {
            java.util.Collections.shuffle(srcPorts, new java.util.Random(seed));
            Counters c = new Counters();
            FlowTable t = new FlowTable(1000, 100, 100_000, c);
            for (int port : srcPorts) {
                t.add(flow("10.0.0.1", port, "192.0.2.1", 443, "t"));
            }
            FlowRecord r = drain(t).get(new FlowKey("10.0.0.1", "192.0.2.1", 443));
            assertThat(java.util.Arrays.copyOf(r.srcPorts, r.portCount)).as("seed " + seed).containsExactly(expected);
            assertThat(c.srcPortsUnlisted.sum()).isEqualTo(201);
        }
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

    /** Sums over windows drained by a swapper thread while {@code writers} (one thread each) add. */
    private record Sums(long flows, long pkts, long bytes, long ports, int windows) {
        static Sums whileSwapping(FlowTable t, List<java.util.function.IntConsumer> writers) throws InterruptedException {
            AtomicBoolean done = new AtomicBoolean();
            List<Map<FlowKey, FlowRecord>> windows = new ArrayList<>();
            Thread swapper = new Thread(() -> {
                while (!done.get()) {
                    windows.add(drain(t));
                }
            });
            swapper.start();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < writers.size(); i++) {
                int id = i;
                Thread w = new Thread(() -> writers.get(id).accept(id));
                threads.add(w);
                w.start();
            }
            for (Thread w : threads) {
                w.join();
            }
            done.set(true);
            swapper.join();
            windows.add(drain(t));
            long flows = 0;
            long pkts = 0;
            long bytes = 0;
            long ports = 0;
            for (Map<FlowKey, FlowRecord> w : windows) {
                for (FlowRecord r : w.values()) {
                    flows += r.flowCount;
                    pkts += r.pktsToServer + r.pktsToClient;
                    bytes += r.bytesToServer + r.bytesToClient;
                    ports += r.portCount;
                }
            }
            return new Sums(flows, pkts, bytes, ports, windows.size());
        }
    }

    @Test
    void concurrentAddsAndSwapsLoseAndDoubleNothing() throws Exception {
        FlowTable t = new FlowTable(1_000_000, 1, 1_000_000, counters);
        int perThread = 300_000;
        java.util.function.IntConsumer writer = id -> {
            for (int n = 0; n < perThread; n++) {
                t.add(new EveEvent("flow", "t", "10.0.0." + (n % 97), n, "10.1.0." + id, n % 13, 1, 2, 3, 4));
            }
        };
        Sums sums = Sums.whileSwapping(t, List.of(writer, writer));
        long total = 2L * perThread;
        assertThat(sums.flows()).isEqualTo(total);
        assertThat(sums.pkts()).isEqualTo(3 * total);
        assertThat(sums.bytes()).isEqualTo(7 * total);
        assertThat(sums.windows()).isGreaterThan(2);
    }

    @Test
    void concurrentBatchAddsAndSwapsLoseAndDoubleNothing() throws Exception {
        FlowTable t = new FlowTable(1_000_000, 3, 50_000, counters);
        int batches = 600;
        java.util.function.IntConsumer writer = id -> {
            EveEvent[] batch = new EveEvent[512];
            for (int b = 0; b < batches; b++) {
                for (int n = 0; n < batch.length; n++) {
                    int k = b * 512 + n;
                    batch[n] = n % 50 == 7 ? null // a malformed line
                            : n % 50 == 8 ? new EveEvent("alert", "t", "a", 1, "b", 2, 9, 9, 9, 9)
                            : new EveEvent("flow", "t", "10.0.0." + (k % 997), k, "10.1.0." + id, k % 13, 1, 2, 3, 4);
                }
                assertThat(t.addAll(batch, batch.length)).isZero();
            }
        };
        Sums sums = Sums.whileSwapping(t, List.of(writer, writer, writer));
        long total = 3L * batches * (512 - 2 * 11); // 11 nulls and 11 alerts per batch
        assertThat(sums.flows()).isEqualTo(total);
        assertThat(counters.flowsAggregated.sum()).isEqualTo(total);
        assertThat(sums.pkts()).isEqualTo(3 * total);
        assertThat(sums.bytes()).isEqualTo(7 * total);
        assertThat(sums.ports() + counters.srcPortsUnlisted.sum()).isEqualTo(total);
        assertThat(sums.ports()).isLessThanOrEqualTo(50_000L * sums.windows());
        assertThat(sums.windows()).isGreaterThan(2);
        assertThat(t.size()).isZero();
    }

    @Test
    void batchAddRefusesNewKeysPastTheHardLimitAndCountsThem() {
        FlowTable t = new FlowTable(8, 10, 1000, counters);
        EveEvent[] batch = new EveEvent[20];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = flow("10.0.0." + i, i, "10.0.1.1", 80, "t");
        }
        assertThat(t.addAll(batch, batch.length)).isEqualTo(10); // 8 + 8/4 admitted
        assertThat(counters.flowsRefused.sum()).isEqualTo(10);
        assertThat(counters.flowsAggregated.sum()).isEqualTo(10);
        assertThat(t.addAll(new EveEvent[] {flow("10.0.0.0", 5, "10.0.1.1", 80, "t")}, 1)).isZero(); // existing key
        assertThat(drain(t).values().stream().mapToLong(r -> r.flowCount).sum()).isEqualTo(11);
    }

    @Test
    void aWindowWithoutSpareIsSizedLikeTheOneItReplacesExceptAfterTheLast() {
        FlowTable t = new FlowTable(100_000, 10, 1_000_000, counters);
        for (int k = 0; k < 20_000; k++) {
            t.add(flow("10.1." + (k >> 8) + "." + (k & 255), 40000, "192.0.2.1", 443, "t"));
        }
        t.swap(false); // not recycled: no stripe has a spare
        // every stripe held hundreds of keys (20,000 over at most 64 stripes): its new window has room for them
        assertThat(java.util.Arrays.stream(t.windowCapacities()).min().getAsInt()).isGreaterThanOrEqualTo(256);
        for (int k = 0; k < 20_000; k++) {
            t.add(flow("10.1." + (k >> 8) + "." + (k & 255), 40000, "192.0.2.1", 443, "t"));
        }
        t.swap(true); // after the last window nothing is added: no full-size window is allocated for it
        assertThat(t.windowCapacities()).containsOnly(64);
    }

    /** A batch whose adding fails midway: what was added or refused is counted so, the rest as lost. */
    @Test
    void aFailureMidBatchCountsEveryFlowExactlyOnce() {
        FlowTable t = new FlowTable(3, 10, 1000, counters);
        AtomicBoolean failNext = new AtomicBoolean(true);
        t.onFull(() -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("test: the early flush could not be requested");
            }
        });
        EveEvent[] batch = new EveEvent[5];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = flow("10.0.0." + i, 1000 + i, "192.0.2.1", 443, "t");
        }
        // the third new key reaches max-keys (3): its early-flush request throws
        assertThatThrownBy(() -> t.addAll(batch, batch.length)).isInstanceOf(IllegalStateException.class);
        assertThat(counters.flowsAggregated.sum()).isEqualTo(2);
        assertThat(counters.flowsRefused.sum()).isZero();
        assertThat(counters.flowsLost.sum()).isEqualTo(3);
        assertThat(t.size()).isEqualTo(2); // the failed key was not left counted in the table

        // the same five again: two update, one new key is admitted (at max-keys), two are refused
        assertThat(t.addAll(batch, batch.length)).isEqualTo(2);
        assertThat(counters.flowsAggregated.sum()).isEqualTo(5);
        assertThat(counters.flowsRefused.sum()).isEqualTo(2);
        assertThat(counters.flowsLost.sum()).isEqualTo(3);
        Map<FlowKey, FlowRecord> m = drain(t);
        assertThat(m).hasSize(3);
        assertThat(m.values().stream().mapToLong(r -> r.flowCount).sum()).isEqualTo(5);
    }

    /** An event the decoders never produce (a flow without src_ip) stands in for a bug in the batch. */
    @Test
    void aBatchThatFailsBeforeAddingCountsAllItsFlowsLost() {
        FlowTable t = new FlowTable(1000, 10, 1000, counters);
        EveEvent[] batch = {
            flow("10.0.0.1", 1, "192.0.2.1", 443, "t"),
            new EveEvent("dns", "t", "10.0.0.1", 53, "192.0.2.1", 53, 0, 0, 0, 0),
            flow(null, 2, "192.0.2.1", 443, "t"),
            flow("10.0.0.2", 3, "192.0.2.1", 443, "t"),
        };
        assertThatThrownBy(() -> t.addAll(batch, batch.length)).isInstanceOf(NullPointerException.class);
        assertThat(counters.flowsAggregated.sum()).isZero();
        assertThat(counters.flowsLost.sum()).isEqualTo(3);
        assertThat(t.size()).isZero();

        assertThatThrownBy(() -> t.add(batch[2])).isInstanceOf(NullPointerException.class);
        assertThat(counters.flowsLost.sum()).isEqualTo(4);
    }

    @Test
    void sumsSaturateInsteadOfWrappingAndAreCounted() {
        Counters c = new Counters();
        FlowTable t = new FlowTable(100, 10, 1_000, c);
        long max = Long.MAX_VALUE;
        t.add(new EveEvent("flow", "2026-12-04T10:00:00.000000+0000", "10.0.0.1", 1, "10.0.0.2", 80, max, 1, 2, 3));
        assertThat(c.flowsSaturated.sum()).isZero();
        t.add(new EveEvent("flow", "2026-12-04T10:00:01.000000+0000", "10.0.0.1", 2, "10.0.0.2", 80, max, 1, max, 3));
        assertThat(c.flowsSaturated.sum()).isEqualTo(1);
        FlowWindow w = t.swap(false).stream().filter(x -> x.size() > 0).findFirst().orElseThrow();
        assertThat(w.pktsToServer(0)).isEqualTo(max); // 2^63-1 + 2^63-1 would wrap to -2
        assertThat(w.bytesToServer(0)).isEqualTo(max);
        assertThat(w.pktsToClient(0)).isEqualTo(2);
        assertThat(w.bytesToClient(0)).isEqualTo(6);
        assertThat(w.flowCount(0)).isEqualTo(2);
    }
}

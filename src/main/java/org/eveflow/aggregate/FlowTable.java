package org.eveflow.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.eveflow.event.EveEvent;
import org.eveflow.stats.Counters;

/**
 * The current flush window's aggregates, in 2^k lock stripes. Invariant: every flow event passed to
 * {@link #add} is either in exactly one record of exactly one window (taken out by exactly one
 * {@link #swap}) or counted as refused. Key count and listed src ports are bounded: reaching
 * max-keys asks for an early flush; past it, new keys are refused (counted) while a flush is still
 * busy, and always past 1.25 × max-keys; existing keys keep updating. Thread-safe.
 */
public final class FlowTable {
    private final Stripe[] stripes;
    private final int mask;
    private final int maxKeys;
    private final int hardMaxKeys;
    private final int portsPerKey;
    private final long portsTotal;
    private final AtomicInteger keys = new AtomicInteger();
    private final AtomicLong portsListed = new AtomicLong();
    private final AtomicBoolean flushBusy = new AtomicBoolean();
    private final Counters counters;
    private volatile Runnable earlyFlush = () -> { };

    public FlowTable(int maxKeys, int portsPerKey, long portsTotal, Counters counters) {
        int n = Integer.highestOneBit(Math.max(16, Runtime.getRuntime().availableProcessors() * 4 - 1) * 2);
        this.stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe();
        }
        this.mask = n - 1;
        this.maxKeys = maxKeys;
        this.hardMaxKeys = (int) Math.min(Integer.MAX_VALUE, maxKeys + (long) maxKeys / 4);
        this.portsPerKey = portsPerKey;
        this.portsTotal = portsTotal;
        this.counters = counters;
    }

    /** Called (at most once per reach) when the table reaches max-keys. */
    public void onFull(Runnable earlyFlush) {
        this.earlyFlush = earlyFlush;
    }

    public int stripeCount() {
        return stripes.length;
    }

    /** Adds one flow event; false if it was refused (table full) and counted so. */
    public boolean add(EveEvent e) {
        FlowKey key = new FlowKey(e.srcIp(), e.destIp(), Math.max(0, e.destPort()));
        int h = key.hashCode();
        Stripe s = stripes[(h ^ (h >>> 16)) & mask];
        s.lock.lock();
        try {
            FlowRecord r = s.map.get(key);
            if (r == null) {
                if (!admitNewKey()) {
                    counters.flowsRefused.increment();
                    return false;
                }
                r = new FlowRecord();
                s.map.put(key, r);
            }
            r.add(e);
            if (r.portCount < portsPerKey && portsListed.incrementAndGet() <= portsTotal) {
                r.listPort(Math.max(0, e.srcPort()));
                s.portsListed++;
            } else {
                if (r.portCount < portsPerKey) {
                    portsListed.decrementAndGet();
                }
                counters.srcPortsUnlisted.increment();
            }
        } finally {
            s.lock.unlock();
        }
        counters.flowsAggregated.increment();
        return true;
    }

    private boolean admitNewKey() {
        int n = keys.incrementAndGet();
        if (n == maxKeys) {
            earlyFlush.run();
        }
        if (n > maxKeys && (flushBusy.get() || n > hardMaxKeys)) {
            keys.decrementAndGet();
            return false;
        }
        counters.keysInTable.set(n);
        return true;
    }

    /** Marks the start and end of a flush; while busy, keys beyond max-keys are refused. */
    void flushBusy(boolean busy) {
        flushBusy.set(busy);
    }

    /**
     * Ends the current window: each stripe's map is swapped for an empty one under its lock. The
     * returned maps are no longer reachable by {@link #add} and belong to the caller.
     */
    List<HashMap<FlowKey, FlowRecord>> swap() {
        List<HashMap<FlowKey, FlowRecord>> out = new ArrayList<>(stripes.length);
        for (Stripe s : stripes) {
            HashMap<FlowKey, FlowRecord> old;
            long ports;
            s.lock.lock();
            try {
                old = s.map;
                if (old.isEmpty()) {
                    continue;
                }
                s.map = new HashMap<>();
                ports = s.portsListed;
                s.portsListed = 0;
                keys.addAndGet(-old.size());
            } finally {
                s.lock.unlock();
            }
            portsListed.addAndGet(-ports);
            out.add(old);
        }
        counters.keysInTable.set(keys.get());
        return out;
    }

    public int size() {
        return keys.get();
    }

    /** One stripe, padded against false sharing with its neighbours. */
    private static final class Stripe {
        @SuppressWarnings("unused")
        private long p01, p02, p03, p04, p05, p06, p07;
        final ReentrantLock lock = new ReentrantLock();
        HashMap<FlowKey, FlowRecord> map = new HashMap<>();
        long portsListed;
        @SuppressWarnings("unused")
        private long q01, q02, q03, q04, q05, q06, q07;
    }
}

package org.eveflow.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.eveflow.counters.Counters;
import org.eveflow.event.EveEvent;
import org.eveflow.log.RateLimitedLog;
import org.slf4j.LoggerFactory;

/**
 * The current flush window's aggregates, in 2^k lock stripes, each holding a {@link FlowWindow}
 * (flat arrays, reused: a cleared window becomes its stripe's spare for the next-but-one window). Invariant: every flow event passed to
 * {@link #add} or {@link #addAll} is either in exactly one record of exactly one window (taken out by
 * exactly one {@link #swap}) or counted as refused, or, if adding it failed unexpectedly (a bug, or
 * the heap ran out: the error is rethrown), counted as lost. Key count and listed src ports are bounded:
 * reaching max-keys asks for an early flush; past it, new keys are refused (counted) while a flush is
 * still busy, and always past 1.25 × max-keys; existing keys keep updating. Listed src ports are
 * capped per key and in total; the total is handed to stripes in small reservations (returned at
 * swap), so listing may stop up to one reservation per stripe (~3 %) before the total is reached, never
 * after. Thread-safe; {@link #addAll} takes each stripe's lock once per batch.
 */
public final class FlowTable {
    private static final RateLimitedLog SATURATED = new RateLimitedLog(
            LoggerFactory.getLogger(FlowTable.class), 10_000);
    private final Stripe[] stripes;
    private final int stripeShift;
    private final int maxKeys;
    private final int hardMaxKeys;
    private final int portsPerKey;
    private final long portsTotal;
    private final int portReservation;
    private final AtomicInteger keys = new AtomicInteger();
    /** Src ports reserved by stripes (listed or still to be listed) in the current window. */
    private final AtomicLong portsReserved = new AtomicLong();
    private final AtomicBoolean flushBusy = new AtomicBoolean();
    private final Counters counters;
    private volatile Runnable earlyFlush = () -> { };

    public FlowTable(int maxKeys, int portsPerKey, long portsTotal, Counters counters) {
        // a power of two (a hash's top bits pick the stripe), about four per core and at least 32: threads
        // adding at once rarely wait on one lock, and each window is a small part of the table, which the
        // flush swaps out one stripe at a time
        int n = Integer.highestOneBit(Math.max(16, Runtime.getRuntime().availableProcessors() * 4 - 1) * 2);
        this.stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe(i % 16);
        }
        this.stripeShift = 32 - Integer.numberOfTrailingZeros(n);
        this.maxKeys = maxKeys;
        this.hardMaxKeys = (int) Math.min(Integer.MAX_VALUE, maxKeys + (long) maxKeys / 4);
        this.portsPerKey = portsPerKey;
        this.portsTotal = portsTotal;
        this.portReservation = (int) Math.max(1, Math.min(1024, portsTotal / (n * 32L)));
        this.counters = counters;
    }

    /** Called (at most once per reach) when the table reaches max-keys. */
    public void onFull(Runnable earlyFlush) {
        this.earlyFlush = earlyFlush;
    }

    public int stripeCount() {
        return stripes.length;
    }

    /** Adds one flow event; false if it was refused (table full) and counted so; a failure counts it lost and is rethrown. */
    public boolean add(EveEvent e) {
        boolean added;
        try {
            int h = hashOf(e);
            Stripe s = stripes[h >>> stripeShift]; // top bits: the stripe's window index uses the low ones
            s.lock.lock();
            try {
                added = addLocked(s, h, e);
            } finally {
                s.lock.unlock();
            }
        } catch (RuntimeException | Error unexpected) {
            counters.flowsLost.increment();
            throw unexpected;
        }
        if (added) {
            counters.flowsAggregated.increment();
        } else {
            counters.flowsRefused.increment();
        }
        return added;
    }

    /**
     * Adds the flow events among {@code events[0..n)}; nulls and other event types are skipped.
     * Events are grouped by stripe and each stripe is locked once: first the stripes that are free
     * (tryLock), then, waiting, the ones another thread held. Returns how many were refused. If adding
     * fails unexpectedly, the flow events already added or refused are counted so, the others as lost,
     * and the error is rethrown.
     */
    public int addAll(EveEvent[] events, int n) {
        int flows = 0;
        for (int i = 0; i < n; i++) {
            if (events[i] != null && events[i].isFlow()) {
                flows++;
            }
        }
        if (flows == 0) {
            return 0;
        }
        Handled done = new Handled();
        try {
            addByStripe(events, n, flows, done);
        } catch (RuntimeException | Error unexpected) {
            counters.flowsAggregated.add(done.events - done.refused);
            counters.flowsRefused.add(done.refused);
            counters.flowsLost.add(flows - done.events);
            throw unexpected;
        }
        counters.flowsAggregated.add(done.events - done.refused);
        if (done.refused > 0) {
            counters.flowsRefused.add(done.refused);
        }
        return done.refused;
    }

    /** A batch's flow events handled so far (added or refused), and of them refused: what is counted if it fails. */
    private static final class Handled {
        int events;
        int refused;
    }

    /** Adds the {@code flows} flow events among {@code events[0..n)}, counting them in {@code done}. */
    private void addByStripe(EveEvent[] events, int n, int flows, Handled done) {
        int[] hashes = new int[n];
        int[] stripeOf = new int[n];
        int[] start = new int[stripes.length + 1];
        for (int i = 0; i < n; i++) {
            EveEvent e = events[i];
            if (e != null && e.isFlow()) {
                int h = hashOf(e);
                hashes[i] = h;
                int si = h >>> stripeShift;
                stripeOf[i] = si;
                start[si + 1]++;
            }
        }
        for (int si = 0; si < stripes.length; si++) {
            start[si + 1] += start[si];
        }
        int[] order = new int[flows];
        int[] fill = start.clone();
        for (int i = 0; i < n; i++) {
            if (events[i] != null && events[i].isFlow()) {
                order[fill[stripeOf[i]]++] = i;
            }
        }
        boolean[] pending = null;
        for (int si = 0; si < stripes.length; si++) {
            if (start[si] == start[si + 1]) {
                continue;
            }
            Stripe s = stripes[si];
            if (!s.lock.tryLock()) {
                if (pending == null) {
                    pending = new boolean[stripes.length];
                }
                pending[si] = true;
                continue;
            }
            try {
                addRange(s, order, start[si], start[si + 1], hashes, events, done);
            } finally {
                s.lock.unlock();
            }
        }
        if (pending != null) {
            for (int si = 0; si < stripes.length; si++) {
                if (pending[si]) {
                    Stripe s = stripes[si];
                    s.lock.lock();
                    try {
                        addRange(s, order, start[si], start[si + 1], hashes, events, done);
                    } finally {
                        s.lock.unlock();
                    }
                }
            }
        }
    }

    /** Adds a stripe's run of events; counts each in {@code done} once it is added or refused. */
    private void addRange(Stripe s, int[] order, int from, int to, int[] hashes, EveEvent[] events, Handled done) {
        FlowWindow w = s.window;
        int prefetched = 0;
        for (int j = from; j < to; j++) {
            prefetched += w.prefetch(hashes[order[j]]);
        }
        s.prefetched = prefetched;
        for (int j = from; j < to; j++) {
            int i = order[j];
            if (!addLocked(s, hashes[i], events[i])) {
                done.refused++;
            }
            done.events++;
        }
    }

    private static int hashOf(EveEvent e) {
        return FlowKey.hash(e.srcIp(), e.destIp(), Math.max(0, e.destPort()), e.keyExtra());
    }

    /** With the stripe's lock held. False if the key is new and refused. */
    private boolean addLocked(Stripe s, int h, EveEvent e) {
        FlowWindow w = s.window;
        int port = Math.max(0, e.destPort());
        int entry = w.find(h, e.srcIp(), e.destIp(), port, e.keyExtra());
        if (entry < 0) {
            if (!admitNewKey()) {
                return false;
            }
            entry = w.insert(h, e.srcIp(), e.destIp(), port, e.keyExtra());
        }
        if (w.add(entry, e)) {
            counters.flowsSaturated.increment();
            SATURATED.warn("a flow event made an aggregate's packet or byte sum pass 2^63-1 (key {} -> {}:{}); the sum "
                    + "is held at 9223372036854775807 and counted in flows_saturated", e.srcIp(), e.destIp(), port);
        }
        int srcPort = Math.max(0, e.srcPort());
        if (w.portCount(entry) < portsPerKey && reservePort(s)) {
            w.listPort(entry, srcPort, portsPerKey);
            s.portsListed++;
        } else { // the smallest ports stay listed, whatever the order of arrival: one is unlisted either way
            w.listIfSmaller(entry, srcPort);
            counters.srcPortsUnlisted.increment();
        }
        return true;
    }

    /** Takes one src port from the stripe's reservation, reserving more from the total when empty. */
    private boolean reservePort(Stripe s) {
        if (s.portsAvailable == 0) {
            long after = portsReserved.addAndGet(portReservation);
            long granted = portReservation - Math.max(0, after - portsTotal);
            if (granted < portReservation) {
                portsReserved.addAndGet(-(portReservation - Math.max(0, granted)));
            }
            if (granted <= 0) {
                return false;
            }
            s.portsAvailable = (int) granted;
        }
        s.portsAvailable--;
        return true;
    }

    private boolean admitNewKey() {
        int n = keys.incrementAndGet();
        if (n == maxKeys) {
            try {
                earlyFlush.run();
            } catch (RuntimeException | Error unexpected) {
                keys.decrementAndGet(); // the key is not added
                throw unexpected;
            }
        }
        if (n > maxKeys && (flushBusy.get() || n > hardMaxKeys)) {
            keys.decrementAndGet();
            return false;
        }
        counters.keysInTable.set(n);
        return true;
    }

    /** The entries the current window of each stripe can hold before it grows (tests). */
    int[] windowCapacities() {
        int[] c = new int[stripes.length];
        for (int si = 0; si < stripes.length; si++) {
            Stripe s = stripes[si];
            s.lock.lock();
            try {
                c[si] = s.window.capacity();
            } finally {
                s.lock.unlock();
            }
        }
        return c;
    }

    /** Marks the start and end of a flush; while busy, keys beyond max-keys are refused. */
    void flushBusy(boolean busy) {
        flushBusy.set(busy);
    }

    /**
     * Ends the current window: each stripe's window is swapped, under its lock, for its spare (or a
     * new one, sized for what the old one holds unless this is the {@code last} window, after which
     * nothing is added). The returned windows are no longer reachable by {@link #add} and belong to
     * the caller, who hands them back with {@link #recycle} when done.
     */
    List<FlowWindow> swap(boolean last) {
        List<FlowWindow> out = new ArrayList<>(stripes.length);
        for (int si = 0; si < stripes.length; si++) {
            Stripe s = stripes[si];
            FlowWindow old = null; // stays null when the stripe's window is empty and kept
            long ports;
            // window and spare change only on this (the flush) thread; the window's size is a hint,
            // read without the lock so that the new window's arrays are not allocated under it
            FlowWindow next = s.spare != null ? s.spare
                    : !last && s.window.size() > 0 ? FlowWindow.sizedFor(s.window) : null;
            s.lock.lock();
            try {
                ports = s.portsListed + s.portsAvailable;
                s.portsListed = 0;
                s.portsAvailable = 0;
                if (s.window.size() > 0) {
                    old = s.window;
                    s.window = next != null ? next : new FlowWindow(64, s.slack);
                    s.spare = null;
                    keys.addAndGet(-old.size());
                }
            } finally {
                s.lock.unlock();
            }
            portsReserved.addAndGet(-ports);
            if (old != null) {
                old.stripe = si;
                out.add(old);
            }
        }
        counters.keysInTable.set(keys.get());
        return out;
    }

    /**
     * Takes back a window returned by {@link #swap} once it has been read: it is cleared and kept as
     * its stripe's spare, unless it is far larger than its last use needed (then it is left to the GC,
     * so one burst of keys does not pin its memory for good).
     */
    void recycle(FlowWindow w) {
        boolean keep = w.capacity() <= 1024 || w.size() * 8L >= w.capacity();
        if (!keep) {
            return;
        }
        w.clear();
        Stripe s = stripes[w.stripe];
        s.lock.lock();
        try {
            if (s.spare == null) {
                s.spare = w;
            }
        } finally {
            s.lock.unlock();
        }
    }

    public int size() {
        return keys.get();
    }

    /** One stripe, padded against false sharing with its neighbours. */
    private static final class Stripe {
        @SuppressWarnings("unused")
        private long p01, p02, p03, p04, p05, p06, p07;
        final ReentrantLock lock = new ReentrantLock();
        /** Its windows' growth slack (see {@link FlowWindow}): stripes grow at different fill levels. */
        final int slack;
        FlowWindow window;
        FlowWindow spare;
        /** Src ports listed in this window, and reserved from the total but not yet listed. */
        long portsListed;
        int portsAvailable;
        /** Keeps {@link FlowWindow#prefetch}'s result so the JIT cannot drop its loads. */
        int prefetched;
        @SuppressWarnings("unused")
        private long q01, q02, q03, q04, q05, q06, q07;

        Stripe(int slack) {
            this.slack = slack;
            this.window = new FlowWindow(64, slack);
        }
    }
}

package org.eveflow.aggregate;

import java.util.Arrays;
import org.eveflow.event.EveEvent;

/**
 * One stripe's aggregates for one flush window in flat primitive arrays instead of objects per key,
 * so a window of a million keys is a dozen arrays: nothing per key for the GC to promote and later
 * collect in a full-GC pause, and {@link #clear()}ed windows are reused. Layout: a {@link KeyIndex}
 * over dense entries 0..size-1; entry e's hash, port and
 * string locations side by side in one int array, its counters in a long array; its key strings and
 * earliest timestamp live in a {@link StringArena}; its listed src ports are a list in a {@link SrcPortPool}, which
 * holds the smallest ports of the key's flows once it has as many as the table lists. Keys are
 * compared by value: (src_ip, dest_ip, dest_port) exactly as received. An entry keeps the earliest
 * timestamp of its flows ({@link Timestamps#isEarlier}). Its arrays grow as {@link Growth} says. Not thread-safe: guarded by
 * its stripe's lock while current, owned by the flushing thread after the swap.
 */
final class FlowWindow {
    private static final int FLOWS = 0;
    private static final int PKTS_TS = 1;
    private static final int PKTS_TC = 2;
    private static final int BYTES_TS = 3;
    private static final int BYTES_TC = 4;
    private static final int COUNTERS = 5;
    /** No timestamp (as a timestamp code): {@link StringArena#NONE}, which no string's code can be. */
    static final int NONE = StringArena.NONE;
    private static final int M_HASH = 0;
    private static final int M_PORT = 1;
    private static final int M_KEY = 2;
    private static final int M_SRC = 3;
    private static final int M_DST = 4;
    private static final int M_EXTRA = 5;
    private static final int M_TS_OFF = 6;
    private static final int M_TS_LEN = 7;
    private static final int M_PORTS = 8;
    private static final int M_PORT_COUNT = 9;
    private static final int M_PORT_MAX = 10;
    private static final int META = 11;

    private KeyIndex index;
    /**
     * Per entry, {@value #META} ints side by side (hash, dest port, arena offset of the key, the key
     * strings' length codes, timestamp offset and length code, its src port list's head and length,
     * and once the list is full its largest port, so that a larger port costs no read of the list),
     * so a lookup and an add touch one or two cache lines instead of one per column.
     */
    private int[] meta;
    private long[] counts;
    private final SrcPortPool ports;
    private final StringArena arena;
    private int size;
    private final Growth growth;
    /** The stripe this window was swapped out of (set by {@link FlowTable#swap}). */
    int stripe;

    FlowWindow() {
        this(64, 0);
    }

    /** Room for {@code entries} entries; grows when {@code slack}/64 of its capacity is still free (0–15). */
    FlowWindow(int entries, int slack) {
        this(entries, 64, 64 * 48, slack);
    }

    private FlowWindow(int entries, int portNodes, int arenaBytes, int slack) {
        this.growth = new Growth(slack);
        int capacity = Math.max(8, entries);
        index = new KeyIndex(capacity);
        meta = new int[capacity * META];
        counts = new long[capacity * COUNTERS];
        ports = new SrcPortPool(portNodes, growth);
        arena = new StringArena(arenaBytes, growth);
    }

    /**
     * An empty window with room for what {@code w} holds now, and a quarter more: the window that takes
     * over from {@code w} when there is no spare, so that it does not double its way up from 64 entries
     * again (nine doublings of every stripe's arrays at 1M keys, during ingest).
     */
    static FlowWindow sizedFor(FlowWindow w) {
        Growth g = w.growth;
        return new FlowWindow(g.beforeGrowing(Math.max(64, w.size + w.size / 4)),
                g.beforeGrowing(Math.max(64, w.ports.used() + w.ports.used() / 4)),
                g.beforeGrowing(Math.max(64 * 48, w.arena.used() + w.arena.used() / 4)), g.slack());
    }

    int size() {
        return size;
    }

    /** Entries this window can hold before it grows. */
    int capacity() {
        return meta.length / META;
    }

    /**
     * Reads what a {@link #find} of hash {@code h} reads first (its index slot, the entry's hash and
     * key bytes, its counters) and returns a value made of them. Called for a run of keys before their
     * adds, these loads do not depend on each other, so the core overlaps their cache misses instead
     * of waiting for one after another; the caller keeps the result so the loads are not dropped.
     */
    int prefetch(int h) {
        int e = index.entry(index.first(h));
        if (e < 0) {
            return 0;
        }
        int m = e * META;
        int key = meta[m + M_KEY]; // at the arena's end for a key of empty strings
        return meta[m + M_HASH] + meta[m + M_PORT_COUNT] + (key < arena.used() ? arena.at(key) : 0)
                + (int) counts[e * COUNTERS];
    }

    /** The entry of this key with extra key fields ("" for none), or -1. */
    int find(int h, String src, String dst, int port, String extra) {
        for (int slot = index.first(h); ; slot = index.next(slot)) {
            int e = index.entry(slot);
            if (e < 0) {
                return -1;
            }
            int m = e * META;
            if (meta[m + M_HASH] == h && meta[m + M_PORT] == port) {
                int src0 = meta[m + M_KEY];
                int dst0 = src0 + StringArena.bytes(meta[m + M_SRC]);
                if (arena.matches(src0, meta[m + M_SRC], src) && arena.matches(dst0, meta[m + M_DST], dst)
                        && arena.matches(dst0 + StringArena.bytes(meta[m + M_DST]), meta[m + M_EXTRA], extra)) {
                    return e;
                }
            }
        }
    }

    /** Adds a new key (not present: call {@link #find} first) with empty counters; returns its entry. */
    int insert(int h, String src, String dst, int port, String extra) {
        if (growth.mustGrow(size, 1, capacity())) {
            grow();
        }
        int e = size++;
        meta[e * META + M_HASH] = h;
        meta[e * META + M_PORT] = port;
        meta[e * META + M_KEY] = arena.used();
        meta[e * META + M_SRC] = arena.put(src);
        meta[e * META + M_DST] = arena.put(dst);
        meta[e * META + M_EXTRA] = arena.put(extra);
        meta[e * META + M_TS_LEN] = NONE;
        Arrays.fill(counts, e * COUNTERS, e * COUNTERS + COUNTERS, 0L);
        meta[e * META + M_PORTS] = SrcPortPool.END;
        meta[e * META + M_PORT_COUNT] = 0;
        index.place(e, h);
        return e;
    }

    private void grow() {
        int n = Growth.grown(capacity());
        meta = Arrays.copyOf(meta, n * META);
        counts = Arrays.copyOf(counts, n * COUNTERS);
        index.resize(n, size, e -> meta[e * META + M_HASH]);
    }

    /** counts[i] += v (v >= 0, as the parser guarantees), held at Long.MAX_VALUE; true if it was held. */
    private boolean addSaturating(int i, long v) {
        long r = counts[i] + v;
        if (r < 0) {
            counts[i] = Long.MAX_VALUE;
            return true;
        }
        counts[i] = r;
        return false;
    }

    /**
     * Adds one flow event's counters and timestamp to entry e. A sum that would pass Long.MAX_VALUE
     * stays there (saturates) instead of wrapping to a negative number; returns whether one did.
     */
    boolean add(int e, EveEvent ev) {
        int c = e * COUNTERS;
        counts[c + FLOWS]++;
        boolean saturated = addSaturating(c + PKTS_TS, ev.pktsToServer())
                | addSaturating(c + PKTS_TC, ev.pktsToClient())
                | addSaturating(c + BYTES_TS, ev.bytesToServer())
                | addSaturating(c + BYTES_TC, ev.bytesToClient());
        String ts = ev.timestamp();
        int m = e * META;
        if (ts != null && (meta[m + M_TS_LEN] == NONE
                || Timestamps.isEarlier(ts, arena, meta[m + M_TS_OFF], meta[m + M_TS_LEN]))) {
            int old = meta[m + M_TS_LEN];
            if (old != NONE && StringArena.bytes(old) >= StringArena.encodedLength(ts)) {
                meta[m + M_TS_LEN] = arena.putAt(meta[m + M_TS_OFF], ts); // in the earlier one's place
            } else {
                meta[m + M_TS_OFF] = arena.used();
                meta[m + M_TS_LEN] = arena.put(ts);
            }
        }
        return saturated;
    }

    int portCount(int e) {
        return meta[e * META + M_PORT_COUNT];
    }

    /** Adds {@code port} to the entry's listed src ports, which are full once they are {@code limit}. */
    void listPort(int e, int port, int limit) {
        int m = e * META;
        meta[m + M_PORTS] = ports.add(meta[m + M_PORTS], port);
        if (++meta[m + M_PORT_COUNT] == limit) {
            meta[m + M_PORTS] = ports.heapOf(meta[m + M_PORTS], limit);
            meta[m + M_PORT_MAX] = ports.largest(meta[m + M_PORTS]);
        }
    }

    /**
     * For a flow whose port is not added: if the entry's list is full, {@code port} takes the largest
     * listed port's place when it is smaller, so a full list holds the smallest ports of the key's flows
     * whatever order they came in; one port is left unlisted either way.
     */
    void listIfSmaller(int e, int port) {
        int m = e * META;
        if (SrcPortPool.isHeap(meta[m + M_PORTS]) && port < meta[m + M_PORT_MAX]) {
            meta[m + M_PORT_MAX] = ports.offerToHeap(meta[m + M_PORTS], meta[m + M_PORT_COUNT], port);
        }
    }

    /** Empties the window for reuse, keeping its arrays. */
    void clear() {
        index.clear();
        size = 0;
        arena.clear();
        ports.clear();
    }

    // --- reading an entry (the flush, tests) ---

    long flowCount(int e) {
        return counts[e * COUNTERS + FLOWS];
    }

    long pktsToServer(int e) {
        return counts[e * COUNTERS + PKTS_TS];
    }

    long pktsToClient(int e) {
        return counts[e * COUNTERS + PKTS_TC];
    }

    long bytesToServer(int e) {
        return counts[e * COUNTERS + BYTES_TS];
    }

    long bytesToClient(int e) {
        return counts[e * COUNTERS + BYTES_TC];
    }

    int destPort(int e) {
        return meta[e * META + M_PORT];
    }

    String srcIp(int e) {
        return arena.string(srcOffset(e), srcCode(e));
    }

    String destIp(int e) {
        return arena.string(destOffset(e), destCode(e));
    }

    /** The earliest timestamp, or null if no event had one. */
    String timestamp(int e) {
        return timestampCode(e) == NONE ? null : arena.string(timestampOffset(e), timestampCode(e));
    }

    /** The listed src ports, ascending, into {@code out} (at least {@link #portCount} long). */
    void ports(int e, int[] out) {
        ports.copySorted(meta[e * META + M_PORTS], portCount(e), out);
    }

    boolean hasExtra(int e) {
        return meta[e * META + M_EXTRA] != 0;
    }

    /** The extra key fields as JSON members (aggregate.key), "" for none. */
    String extra(int e) {
        return arena.string(extraOffset(e), extraCode(e));
    }

    /** The location of the extra key fields' bytes (see {@link #extraCode}). */
    int extraOffset(int e) {
        return destOffset(e) + StringArena.bytes(destCode(e));
    }

    /** The extra key fields' length code (as the key strings'); 0 for none. */
    int extraCode(int e) {
        return meta[e * META + M_EXTRA];
    }

    FlowKey key(int e) {
        return new FlowKey(srcIp(e), destIp(e), destPort(e), extra(e));
    }

    /** The arena and the location of entry e's key strings, for encoding without a String. */
    byte[] arena() {
        return arena.array();
    }

    int srcOffset(int e) {
        return meta[e * META + M_KEY];
    }

    int srcCode(int e) {
        return meta[e * META + M_SRC];
    }

    int destOffset(int e) {
        return meta[e * META + M_KEY] + StringArena.bytes(meta[e * META + M_SRC]);
    }

    int destCode(int e) {
        return meta[e * META + M_DST];
    }

    int timestampOffset(int e) {
        return meta[e * META + M_TS_OFF];
    }

    int timestampCode(int e) {
        return meta[e * META + M_TS_LEN];
    }
}

package org.eveflow.aggregate;

import java.util.Arrays;
import org.eveflow.event.EveEvent;

/**
 * One stripe's aggregates for one flush window in flat primitive arrays instead of objects per key,
 * so a window of a million keys is a dozen arrays: nothing per key for the GC to promote and later
 * collect in a full-GC pause, and {@link #clear()}ed windows are reused. Layout: an open-addressing
 * index (linear probing, at most half full) over dense entries 0..size-1; entry e's hash, port and
 * string locations side by side in one int array, its counters in a long array; its key strings and
 * earliest timestamp live in a {@link StringArena}; its listed src ports are a list in a {@link SrcPortPool}, which
 * holds the smallest ports of the key's flows once it has as many as the table lists. Keys are
 * compared by value: (src_ip, dest_ip, dest_port) exactly as received. Not thread-safe: guarded by
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

    private int[] index;
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
    /**
     * The window grows when it holds {@code capacity × (1 − slack/64)} entries, and its arena and port
     * pool when they are that full. Stripes use different slacks (0–15) so that, with evenly spread
     * keys, they do not all double their arrays at the same moment: that much new memory at once made
     * one young collection copy ~100 MB at 1M keys.
     */
    private final int slack;
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
        if (slack < 0 || slack > 15) {
            throw new IllegalArgumentException("slack " + slack);
        }
        this.slack = slack;
        allocate(Math.max(8, entries));
        ports = new SrcPortPool(portNodes, slack);
        arena = new StringArena(arenaBytes, slack);
    }

    /**
     * An empty window with room for what {@code w} holds now, and a quarter more: the window that takes
     * over from {@code w} when there is no spare, so that it does not double its way up from 64 entries
     * again (nine doublings of every stripe's arrays at 1M keys, during ingest).
     */
    static FlowWindow sizedFor(FlowWindow w) {
        return new FlowWindow(w.beforeGrowing(Math.max(64, w.size + w.size / 4)),
                w.beforeGrowing(Math.max(64, w.ports.used() + w.ports.used() / 4)),
                w.beforeGrowing(Math.max(64 * 48, w.arena.used() + w.arena.used() / 4)), w.slack);
    }

    /** The length of an array in which {@code units} fit before it grows (see {@link #usable}). */
    private int beforeGrowing(int units) {
        return (int) ((long) units * 64 / (64 - slack)) + 1;
    }

    private void allocate(int capacity) {
        index = new int[indexLength(capacity)];
        meta = new int[capacity * META];
        counts = new long[capacity * COUNTERS];
    }

    /** The index for {@code capacity} entries: a power of two (masked) at least twice as long (at most half full). */
    private static int indexLength(int capacity) {
        return Integer.highestOneBit(2 * capacity - 1) << 1;
    }

    /**
     * The next size of an array that holds {@code length} units: half as much again (doubling left
     * up to half of a large window's entry arrays unused, 170 MB of peak RSS at 1M keys).
     */
    static int grown(int length) {
        return length + Math.max(1, length / 2);
    }

    /** How much of an array of {@code length} this window fills before growing it. */
    private int usable(int length) {
        return length - (int) ((long) length * slack / 64);
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
        int e = index[h & (index.length - 1)] - 1;
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
        int mask = index.length - 1;
        for (int slot = h & mask; ; slot = (slot + 1) & mask) {
            int e = index[slot] - 1;
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
        if (size >= usable(capacity())) {
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
        place(e);
        return e;
    }

    private void place(int e) {
        int mask = index.length - 1;
        int slot = meta[e * META + M_HASH] & mask;
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = e + 1;
    }

    private void grow() {
        int n = grown(capacity());
        meta = Arrays.copyOf(meta, n * META);
        counts = Arrays.copyOf(counts, n * COUNTERS);
        if (index.length < indexLength(n)) {
            index = new int[indexLength(n)];
            for (int e = 0; e < size; e++) {
                place(e);
            }
        }
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
        if (ts != null && (meta[m + M_TS_LEN] == NONE || earlier(ts, meta[m + M_TS_OFF], meta[m + M_TS_LEN]))) {
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

    /** Whether timestamp {@code ts} is earlier than the stored one. */
    private boolean earlier(String ts, int off, int len) {
        int n = ts.length();
        if (len == n && n >= 5) {
            boolean sameOffset = true;
            for (int i = n - 5; i < n && sameOffset; i++) {
                sameOffset = arena.at(off + i) == ts.charAt(i);
            }
            if (sameOffset) { // the common case: same format, same UTC offset: plain order is time order
                for (int i = 0; i < n; i++) {
                    int c = ts.charAt(i);
                    int s = arena.at(off + i);
                    if (c != s) {
                        return c < s;
                    }
                }
                return false;
            }
        }
        return Timestamps.compare(ts, arena.string(off, len)) < 0;
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
        Arrays.fill(index, 0);
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

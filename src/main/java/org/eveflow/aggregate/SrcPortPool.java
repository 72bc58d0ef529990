package org.eveflow.aggregate;

import java.util.Arrays;

/**
 * The listed src ports of one window's keys, in one int array. A key's list starts as nodes (port,
 * next node or {@link #END}) reached from its head, newest first; adding a node never moves another,
 * so a head stays valid. A key whose list is full becomes a heap: its ports copied into a block of
 * their own, largest first ({@link #heapOf}), in which a smaller port takes the largest one's place in
 * O(log n) ({@link #offerToHeap}), so the list keeps the smallest ports of the key's flows whatever
 * order they come in. A head below {@code END} names a heap. Grows as {@link Growth} says (as its
 * window's arrays do). Not thread-safe: used under its window's guard.
 */
final class SrcPortPool {
    /** The end of a node list (and the head of an empty one). */
    static final int END = -1;
    private final Growth growth;
    private int[] pool;
    private int used;

    SrcPortPool(int capacityPorts, Growth growth) {
        this.growth = growth;
        this.pool = new int[2 * Math.max(1, capacityPorts)];
    }

    /** Ints in use (a node takes two, a heap one per port). */
    int used() {
        return used;
    }

    private int allocate(int ints) {
        if (growth.mustGrow(used, ints, pool.length)) {
            pool = Arrays.copyOf(pool, Math.max(used + 2 * ints, Growth.grown(pool.length)));
        }
        int at = used;
        used += ints;
        return at;
    }

    /** A new node holding {@code port} before the node list {@code head}; returns the list's new head. */
    int add(int head, int port) {
        int n = allocate(2);
        pool[n] = port;
        pool[n + 1] = head;
        return n;
    }

    static boolean isHeap(int head) {
        return head < END;
    }

    /** The {@code count} ports of the node list {@code head} as a heap of their own; returns its head. */
    int heapOf(int head, int count) {
        int at = allocate(count);
        int i = at;
        for (int n = head; n != END; n = pool[n + 1]) {
            pool[i++] = pool[n];
        }
        for (int k = count / 2 - 1; k >= 0; k--) {
            siftDown(at, count, k);
        }
        return END - 1 - at;
    }

    /** The largest port of the heap {@code head}. */
    int largest(int head) {
        return pool[END - 1 - head];
    }

    /**
     * In the heap {@code head} of {@code count} ports, {@code port} replaces the largest if it is
     * smaller; returns the heap's largest port after that.
     */
    int offerToHeap(int head, int count, int port) {
        int at = END - 1 - head;
        if (port < pool[at]) {
            pool[at] = port;
            siftDown(at, count, 0);
        }
        return pool[at];
    }

    private void siftDown(int at, int count, int k) {
        int v = pool[at + k];
        while (2 * k + 1 < count) {
            int c = 2 * k + 1;
            if (c + 1 < count && pool[at + c + 1] > pool[at + c]) {
                c++;
            }
            if (pool[at + c] <= v) {
                break;
            }
            pool[at + k] = pool[at + c];
            k = c;
        }
        pool[at + k] = v;
    }

    /** The {@code count} ports of the list or heap {@code head} into {@code out}, ascending. */
    void copySorted(int head, int count, int[] out) {
        if (isHeap(head)) {
            System.arraycopy(pool, END - 1 - head, out, 0, count);
        } else {
            int i = 0;
            for (int n = head; n != END; n = pool[n + 1]) {
                out[i++] = pool[n];
            }
        }
        Arrays.sort(out, 0, count);
    }

    /** Empties the pool for reuse, keeping its array. */
    void clear() {
        used = 0;
    }
}

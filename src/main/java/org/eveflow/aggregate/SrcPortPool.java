package org.eveflow.aggregate;

import java.util.Arrays;

/**
 * The listed src ports of one window's keys: one int array of nodes (port, the next node of the same
 * key's list or {@link #END}), each key's list reached from its head node, newest first. Adding a node
 * never moves another, so a head stays valid; a node's port may be replaced in place. Grows half as
 * much again when {@code slack}/64 of it is still free (as its window's arrays do). Not thread-safe:
 * used under its window's guard.
 */
final class SrcPortPool {
    /** The end of a list (and the head of an empty one). */
    static final int END = -1;
    private final int slack;
    private int[] nodes;
    private int used;

    SrcPortPool(int capacity, int slack) {
        this.slack = slack;
        this.nodes = new int[2 * Math.max(1, capacity)];
    }

    /** Nodes in use. */
    int used() {
        return used;
    }

    /** A new node holding {@code port} before {@code head}; returns it, the list's new head. */
    int add(int head, int port) {
        if (2 * used + 2 > nodes.length - (int) ((long) nodes.length * slack / 64)) {
            nodes = Arrays.copyOf(nodes, 2 * FlowWindow.grown(nodes.length / 2));
        }
        int n = used++;
        nodes[2 * n] = port;
        nodes[2 * n + 1] = head;
        return n;
    }

    int port(int node) {
        return nodes[2 * node];
    }

    int next(int node) {
        return nodes[2 * node + 1];
    }

    /**
     * In the list from {@code head}, replaces one occurrence of its largest port {@code largest} with
     * {@code port} (smaller) and returns the list's largest port after that.
     */
    int replaceLargest(int head, int largest, int port) {
        boolean replaced = false;
        int max = Integer.MIN_VALUE;
        for (int n = head; n != END; n = next(n)) {
            if (!replaced && nodes[2 * n] == largest) {
                nodes[2 * n] = port;
                replaced = true;
            }
            max = Math.max(max, nodes[2 * n]);
        }
        return max;
    }

    /** Empties the pool for reuse, keeping its array. */
    void clear() {
        used = 0;
    }
}

package org.eveflow.aggregate;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * A window's open-addressing index: slots of entry numbers plus one (0 is an empty slot), a power of
 * two long and at most half full, probed linearly from a key's hash. The caller compares the keys
 * (they live in the window): {@code for (slot = first(h); (e = entry(slot)) >= 0; slot = next(slot))}.
 * Not thread-safe: used under its window's guard.
 */
final class KeyIndex {
    private int[] slots;

    /** An index for {@code capacity} entries. */
    KeyIndex(int capacity) {
        slots = new int[lengthFor(capacity)];
    }

    /** The index length for {@code capacity} entries: a power of two at least twice as long (at most half full). */
    static int lengthFor(int capacity) {
        return Integer.highestOneBit(2 * capacity - 1) << 1;
    }

    /** The first slot to probe for hash {@code h}. */
    int first(int h) {
        return h & (slots.length - 1);
    }

    /** The slot after {@code slot}. */
    int next(int slot) {
        return (slot + 1) & (slots.length - 1);
    }

    /** The entry at {@code slot}, or -1 when the slot is empty (the probe ends). */
    int entry(int slot) {
        return slots[slot] - 1;
    }

    /** Puts entry {@code e} with hash {@code h} in the first empty slot of its probe. */
    void place(int e, int h) {
        int slot = first(h);
        while (slots[slot] != 0) {
            slot = next(slot);
        }
        slots[slot] = e + 1;
    }

    /** Makes room for {@code capacity} entries: a longer index with entries 0..size-1 placed again by {@code hashOf}. */
    void resize(int capacity, int size, IntUnaryOperator hashOf) {
        if (slots.length >= lengthFor(capacity)) {
            return;
        }
        slots = new int[lengthFor(capacity)];
        for (int e = 0; e < size; e++) {
            place(e, hashOf.applyAsInt(e));
        }
    }

    void clear() {
        Arrays.fill(slots, 0);
    }
}

package org.eveflow.counters;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed list of names to counter slots 0..n-1 (their order in the list); any other name gets the
 * caller's slot for "other", so names from the input can never grow memory. Immutable, thread-safe.
 */
final class SlotMap {
    private final Map<String, Integer> slots;

    SlotMap(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        this.slots = Map.copyOf(m);
    }

    /** The slot of {@code name}, or {@code other} when the list does not have it. */
    int slot(String name, int other) {
        Integer i = slots.get(name);
        return i != null ? i : other;
    }
}

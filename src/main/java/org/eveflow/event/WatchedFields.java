package org.eveflow.event;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Top-level field names the parser notes in {@link EveEvent#fieldsPresent()}, each as one bit (the
 * i-th name is bit i), so that a line's own field can win over an added one (FEVER's
 * {@code add-fields}, see {@code output.AddedFields}). At most 31 names. Immutable, thread-safe.
 */
public final class WatchedFields {
    public static final WatchedFields NONE = new WatchedFields(List.of());

    private final Map<String, Integer> bits = new HashMap<>();

    public WatchedFields(List<String> names) {
        if (names.size() > 31) {
            throw new IllegalArgumentException("at most 31 watched fields, got " + names.size());
        }
        for (String name : names) {
            bits.put(name, 1 << bits.size());
        }
    }

    public boolean isEmpty() {
        return bits.isEmpty();
    }

    /** This name's bit in {@link EveEvent#fieldsPresent()}, or 0 if it is not watched. */
    public int bit(String name) {
        Integer b = bits.get(name);
        return b == null ? 0 : b;
    }
}

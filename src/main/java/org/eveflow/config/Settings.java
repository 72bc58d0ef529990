package org.eveflow.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Values by {@link Key}: what the binder read and the validator completed (a derived default is set
 * here like any other value). Two instances are equal when they hold the same keys with equal
 * values, so a section's view ({@link Config.Input}, ...) compares as its keys do. Immutable,
 * thread-safe.
 */
public final class Settings {
    private final Map<Key<?>, Object> values;

    Settings(Map<Key<?>, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The value of {@code key} (null: not set). */
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        return (T) values.get(key);
    }

    /** These settings with {@code key} set to {@code value}. */
    public <T> Settings with(Key<T> key, T value) {
        Map<Key<?>, Object> next = new LinkedHashMap<>(values);
        next.put(key, value);
        return new Settings(next);
    }

    /** The settings whose key {@code which} accepts. */
    Settings only(Predicate<Key<?>> which) {
        Map<Key<?>, Object> part = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (which.test(k)) {
                part.put(k, v);
            }
        });
        return new Settings(part);
    }

    /** The keys whose value differs in {@code other}, in declaration order. */
    public List<Key<?>> differing(Settings other) {
        return values.keySet().stream().filter(k -> !Objects.equals(values.get(k), other.values.get(k))).toList();
    }

    /** These settings with every key {@code which} accepts taken from {@code other}. */
    public Settings takeFrom(Settings other, Predicate<Key<?>> which) {
        Map<Key<?>, Object> next = new LinkedHashMap<>(values);
        other.values.forEach((k, v) -> {
            if (which.test(k)) {
                next.put(k, v);
            }
        });
        return new Settings(next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Key names and values, secrets redacted by their own toString. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        values.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k.name()).append('=').append(v));
        return b.append('}').toString();
    }
}

package org.eveflow.config;

import java.util.Arrays;

/**
 * A token or password: its value is only handed to the client that needs it; toString never shows
 * it, so it cannot leak into logs, errors or check-config output. Immutable.
 */
public final class Secret {
    private final char[] value;

    public Secret(String value) {
        this.value = value.toCharArray();
    }

    public char[] value() {
        return value.clone();
    }

    public String reveal() {
        return new String(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret && Arrays.equals(value, ((Secret) o).value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}

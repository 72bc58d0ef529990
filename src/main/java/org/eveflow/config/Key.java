package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One configuration key, declared once ({@link Keys}): its dotted name ({@code outputs.*.X} for a key
 * of every output), its type and range ({@link KeyType}), its default as the shipped file writes it
 * (or, when it has none, what leaving it out means), whether a reload applies it or it waits for a
 * restart, the flag that sets it (if any) and one line for the docs. The binder, the validator, the
 * reload plan, the help text and the generated docs table read it from here. Immutable, thread-safe.
 *
 * @param <T> the type of its value
 */
public final class Key<T> {
    /** Whether a reload (SIGHUP) applies a changed value, or it takes effect at the next restart. */
    public enum Apply { RELOAD, RESTART }

    /** The prefix of a key every output has. */
    static final String OUTPUT = "outputs.*.";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String name;
    private final KeyType<T> type;
    private final String defaultYaml;
    private final String unsetMeans;
    private final Apply apply;
    private final String help;
    private final Flag flag;

    private Key(String name, KeyType<T> type, String defaultYaml, String unsetMeans, Apply apply, String help,
                Flag flag) {
        this.name = name;
        this.type = type;
        this.defaultYaml = defaultYaml;
        this.unsetMeans = unsetMeans;
        this.apply = apply;
        this.help = help;
        this.flag = flag;
    }

    /** A key with a default, written as in the shipped file ("64MiB", "[alert, stats]", "\"0660\""). */
    static <T> Key<T> of(String name, KeyType<T> type, String defaultYaml, Apply apply, String help) {
        return new Key<>(name, type, defaultYaml, null, apply, help, null);
    }

    /** A key without a declared default; {@code unsetMeans} says what leaving it out does. */
    static <T> Key<T> unset(String name, KeyType<T> type, String unsetMeans, Apply apply, String help) {
        return new Key<>(name, type, null, unsetMeans, apply, help, null);
    }

    /** This key, set by a command-line flag as well. */
    Key<T> flag(Flag f) {
        return new Key<>(name, type, defaultYaml, unsetMeans, apply, help, f);
    }

    /** The dotted name; a key of every output is {@code outputs.*.NAME}. */
    public String name() {
        return name;
    }

    /** The name below its section ("buffer-bytes" of "outputs.*.buffer-bytes"). */
    public String leaf() {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** Whether every output has this key. */
    public boolean perOutput() {
        return name.startsWith(OUTPUT);
    }

    /** The name of this key of the output {@code output} ("outputs.siem.buffer-bytes"). */
    public String of(String output) {
        return perOutput() ? "outputs." + output + "." + leaf() : name;
    }

    public KeyType<T> type() {
        return type;
    }

    public Apply apply() {
        return apply;
    }

    public String help() {
        return help;
    }

    /** The flag that sets this key, or null. */
    public Flag flag() {
        return flag;
    }

    /** The default as the shipped file writes it, or null when it has none. */
    public String defaultYaml() {
        return defaultYaml;
    }

    /** What leaving the key out means: its default, or the words for a derived or absent one. */
    public String defaultText() {
        return defaultYaml != null ? defaultYaml : unsetMeans;
    }

    /** The default as a tree node, or null when it has none. */
    JsonNode defaultNode() {
        if (defaultYaml == null) {
            return null;
        }
        try {
            return YAML.readTree(defaultYaml);
        } catch (IOException e) {
            throw new UncheckedIOException("the default of " + name + " is not YAML", e);
        }
    }

    /** The value at {@code node} (null: not set); {@code where} is the dotted key to name in an error. */
    T read(JsonNode node, String where) throws ConfigException {
        try {
            return type.read(node);
        } catch (KeyType.BadItem e) {
            throw new ConfigException(where + "[" + e.index + "]", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

package org.eveflow.config;

import java.util.List;

/**
 * A command-line flag that sets a key ({@link Key#flag}): its names, the label of its value, its
 * help, what kind of value it takes and how it sets the tree ({@link Target}). The help's default is
 * the key's own ({@link #helpWithDefault}). FEVER's flags keep FEVER's names. Immutable.
 *
 * @param names   the long name first ("--flushtime"), then a short one if any ("-f")
 * @param label   the value's label in the help ("DURATION"); null for a boolean
 * @param value   the kind of value the flag takes
 * @param target  how it sets the configuration
 * @param help    what it does, without the default
 */
public record Flag(List<String> names, String label, Value value, Target target, String help) {
    /** The kinds of value a flag takes. */
    public enum Value {
        /** Text, given to the key as the file would. */
        TEXT,
        /** A comma-separated list; {@code ''} is the empty list (as Go's pflag). */
        LIST,
        /** A boolean as Go's pflag takes it ({@code -v}, {@code -v=t}, {@code --logjson=0}). */
        BOOLEAN,
        /** A whole number. */
        NUMBER
    }

    /** How a given flag sets the configuration tree ({@link Overrides#applyTo}). */
    public enum Target {
        /** Sets its key. */
        KEY,
        /** Sets its key of the output "default" (FEVER's -o, -t, -T), unless the file is FEVER's multi-forward. */
        DEFAULT_OUTPUT,
        /** Sets its key of every output (FEVER's --reconnect-retries). */
        EVERY_OUTPUT,
        /** When true, sets its key to "debug" (-v). */
        DEBUG,
        /** Sets its key and stats.format "fever" (FEVER's --toolname). */
        FEVER_MEASUREMENT
    }

    /** A flag; {@link Key#flag} names the key. */
    static Flag of(String names, String label, Value value, Target target, String help) {
        return new Flag(List.of(names.split(",")), label, value, target, help);
    }

    /** The long name ("--flushtime"). */
    public String longName() {
        return names.get(0);
    }

    /** The help with the key's default, as the shipped file writes it ("(default: 1m)"), if it has one. */
    public String helpWithDefault(Key<?> k) {
        String d = k.defaultYaml();
        if (d == null || d.equals("\"\"") || value == Value.BOOLEAN) {
            return help;
        }
        return help + " (default: " + (value == Value.LIST ? d.replaceAll("[\\[\\] ]", "") : d) + ")";
    }
}

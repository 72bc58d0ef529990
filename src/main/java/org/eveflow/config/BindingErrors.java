package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A value of the wrong kind for its key (a list where a section goes, text where a number goes) said
 * in plain words: what the key takes and what the file gives. Never names a Java type or a parser
 * token, and never repeats the value (it may be a secret). Stateless.
 */
final class BindingErrors {
    private BindingErrors() {
    }

    /**
     * The problem with {@code outputs.NAME} whose value is not a section: when NAME is an output's key,
     * it was meant to be indented under an output.
     */
    static String notAnOutput(String name, JsonNode given, Set<String> outputKeys) {
        String found = ", found " + kind(given);
        if (outputKeys.contains(name)) {
            return "'" + name + "' is read as the name of an output, whose value must be a section of keys" + found
                    + ": indent it under its output";
        }
        return "expected a section of keys" + found;
    }

    /** What kind of value {@code n} is, in words. */
    static String kind(JsonNode n) {
        if (n.isArray()) {
            return "a list";
        }
        if (n.isObject()) {
            return "a section of keys";
        }
        if (n.isBoolean()) {
            return "true or false";
        }
        if (n.isIntegralNumber()) {
            return "a whole number";
        }
        if (n.isNumber()) {
            return "a decimal number";
        }
        if (n.isNull()) {
            return "nothing";
        }
        return "text";
    }
}

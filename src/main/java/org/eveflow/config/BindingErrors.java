package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Collection;
import java.util.Map;

/**
 * A value of the wrong kind for its key (a list where a section goes, text where a number goes) said
 * in plain words: what the key takes and what the file gives. Never names a Java type or a parser
 * token, and never repeats the value (it may be a secret). Stateless.
 */
final class BindingErrors {
    private BindingErrors() {
    }

    /** The problem with the value at {@code key} of {@code root} that Jackson could not bind. */
    static String describe(JsonMappingException e, JsonNode root, String key) {
        Class<?> target = e instanceof MismatchedInputException m && m.getTargetType() != null ? m.getTargetType()
                : null;
        JsonNode given = root.at(pointer(key));
        String found = given.isMissingNode() ? "" : ", found " + kind(given);
        if (key.startsWith("outputs.") && key.indexOf('.', 8) < 0 && !given.isObject() && isOutputKey(key.substring(8))) {
            return "'" + key.substring(8) + "' is read as the name of an output, whose value must be a section of"
                    + " keys" + found + ": indent it under its output";
        }
        return target == null ? "invalid value" + found : "expected " + expected(target) + found;
    }

    private static boolean isOutputKey(String name) {
        for (var f : ConfigFile.Output.class.getDeclaredFields()) { // a record's fields carry its components' annotations
            var p = f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            if (p != null && p.value().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String expected(Class<?> t) {
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "a whole number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a single value";
        }
        if (Collection.class.isAssignableFrom(t)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(t) || t.isRecord()) {
            return "a section of keys";
        }
        return "another kind of value";
    }

    private static String kind(JsonNode n) {
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

    /** "outputs.siem.types[2]" as a JSON pointer (output names may hold '.', so each is looked up). */
    private static com.fasterxml.jackson.core.JsonPointer pointer(String key) {
        StringBuilder b = new StringBuilder();
        for (String part : key.split("\\.")) {
            String name = part;
            String index = "";
            int bracket = part.indexOf('[');
            if (bracket >= 0) {
                name = part.substring(0, bracket);
                index = part.substring(bracket).replace("[", "/").replace("]", "");
            }
            b.append('/').append(name.replace("~", "~0").replace("/", "~1")).append(index);
        }
        return com.fasterxml.jackson.core.JsonPointer.compile(b.toString());
    }
}

package org.eveflow.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Jackson deserializers for the value syntaxes of the config file: Go durations ({@link Durations}),
 * byte sizes ({@link Sizes}) and octal file modes ({@link FileMode}). Each refuses a bad value with a
 * {@link BadValue} that names only the value's problem; the loader adds the key. Stateless.
 */
final class ValueDeserializers {
    private ValueDeserializers() {
    }

    /** Registers the Go duration syntax for every {@link Duration}. */
    static SimpleModule module() {
        return new SimpleModule("eveflow-config-values").addDeserializer(Duration.class, new GoDuration());
    }

    /** A scalar as text: YAML gives 60 as a number, "60" as a string; both are the text "60". */
    private static String scalar(JsonParser p, String what) throws IOException {
        if (!p.currentToken().isScalarValue()) {
            throw new BadValue(p, "expected " + what + ", got a " + (p.isExpectedStartArrayToken() ? "list" : "section"));
        }
        return p.getValueAsString();
    }

    /** A scalar parsed by {@code parse}, whose IllegalArgumentException becomes the operator's message. */
    private abstract static class Parsed<T> extends JsonDeserializer<T> {
        private final String what;
        private final Function<String, T> parse;

        Parsed(String what, Function<String, T> parse) {
            this.what = what;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            try {
                return parse.apply(scalar(p, what));
            } catch (IllegalArgumentException e) {
                throw new BadValue(p, e.getMessage());
            }
        }
    }

    /** A Go duration ("500ms", "1m0s"). */
    static final class GoDuration extends Parsed<Duration> {
        GoDuration() {
            super("a duration", Durations::parse);
        }
    }

    /** A byte size ("16MiB", "64MB", 1048576). */
    static final class Size extends Parsed<Long> {
        Size() {
            super("a size", Sizes::parse);
        }
    }

    /** A count or {@code auto} (null: derived at load time). */
    static final class AutoCount extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = scalar(p, "a number or auto").trim();
            if (text.equals("auto")) {
                return null;
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new BadValue(p, "'" + (text.length() > 20 ? text.substring(0, 20) + "..." : text)
                        + "' is not a whole number or auto");
            }
        }
    }

    /** A file mode: a string is octal, a YAML integer the number it is (see {@link FileMode#parse}). */
    static final class Mode extends JsonDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode value = p.readValueAsTree();
            try {
                return FileMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new BadValue(p, e.getMessage());
            }
        }
    }
}

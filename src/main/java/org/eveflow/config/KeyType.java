package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a key's value is and how it is read from the configuration tree: its syntax (a Go duration, a
 * byte size, an octal mode, ...), its range, and the words that say what it takes ({@link #takes},
 * for errors and the generated docs table). A value of another kind is refused in plain words
 * ("expected a whole number, found text"), a value out of range with the range; a message never
 * names a Java type and never repeats a value that may be a secret. An absent or empty ({@code ~})
 * value reads as null: "not set", where the key has no default. Immutable, thread-safe.
 *
 * @param <T> the type a consumer gets
 */
public abstract class KeyType<T> {
    /** The path of a socket switched off (''). */
    static final Path OFF = Path.of("");
    private final String takes;

    private KeyType(String takes) {
        this.takes = takes;
    }

    /** What the key takes, in words: "a whole number from 1 to 64", "a duration (Go syntax), at least 10ms". */
    public final String takes() {
        return takes;
    }

    /** The value of {@code node}, null when absent or empty. */
    final T read(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : parse(node);
    }

    /** A present value; throws IllegalArgumentException with the operator's message. */
    abstract T parse(JsonNode node);

    /** A list item's problem: the key is named with the item's index ("input.allowed-uids[1]"). */
    static final class BadItem extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        final int index;

        BadItem(int index, String message) {
            super(message);
            this.index = index;
        }
    }

    /** A value of another kind, as BindingErrors words it. */
    static IllegalArgumentException expected(String what, JsonNode found) {
        return new IllegalArgumentException("expected " + what + ", found " + BindingErrors.kind(found));
    }

    /** A scalar as text: YAML gives 60 as a number, "60" as text; both are "60". */
    static String scalar(JsonNode n, String what) {
        if (n.isContainerNode()) {
            throw new IllegalArgumentException("expected " + what + ", got a " + (n.isArray() ? "list" : "section"));
        }
        return n.asText();
    }

    // ---- the types -------------------------------------------------------------------------------

    static KeyType<Integer> count(int min, int max) {
        return new KeyType<>("a whole number from " + min + " to " + max) {
            @Override
            Integer parse(JsonNode n) {
                return (int) inRange(wholeNumber(n), min, max);
            }
        };
    }

    static KeyType<Long> longCount(long min, long max) {
        return new KeyType<>("a whole number from " + min + " to " + max) {
            @Override
            Long parse(JsonNode n) {
                return inRange(wholeNumber(n), min, max);
            }
        };
    }

    /** A count, or {@code auto}: null, derived at load time. */
    static KeyType<Long> autoCount(long min, long max) {
        return new KeyType<>("auto, or a whole number from " + min + " to " + max) {
            @Override
            Long parse(JsonNode n) {
                String text = scalar(n, "a number or auto").trim();
                if (text.equals("auto")) {
                    return null;
                }
                try {
                    return inRange(Long.parseLong(text), min, max);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + (text.length() > 20 ? text.substring(0, 20) + "..." : text)
                            + "' is not a whole number or auto");
                }
            }
        };
    }

    /** A byte size ("16MiB", "64MB", 1048576) from {@code min} to {@code max} bytes. */
    static KeyType<Long> size(long min, long max) {
        return new KeyType<>("a size (64KiB, 16MiB, bytes) from " + Sizes.format(min) + " to " + Sizes.format(max)) {
            @Override
            Long parse(JsonNode n) {
                return inRange(Sizes.parse(scalar(n, "a size")), min, max);
            }
        };
    }

    /** A byte size that fits an int. */
    static KeyType<Integer> intSize(long min, long max) {
        KeyType<Long> bytes = size(min, Math.min(max, Integer.MAX_VALUE));
        return new KeyType<>(bytes.takes()) {
            @Override
            Integer parse(JsonNode n) {
                return bytes.parse(n).intValue();
            }
        };
    }

    /** A Go duration ("500ms", "1m0s") of at least {@code minMillis}. */
    static KeyType<Duration> duration(long minMillis) {
        return new KeyType<>("a duration (500ms, 10s, 1m0s), at least " + minMillis + "ms") {
            @Override
            Duration parse(JsonNode n) {
                Duration d = Durations.parse(scalar(n, "a duration"));
                if (d.toMillis() < minMillis) {
                    throw new IllegalArgumentException("must be at least " + minMillis + "ms, got " + Durations.format(d));
                }
                return d;
            }
        };
    }

    static KeyType<Boolean> bool() {
        return new KeyType<>("true or false") {
            @Override
            Boolean parse(JsonNode n) {
                if (n.isBoolean()) {
                    return n.booleanValue();
                }
                if (n.isTextual() && n.textValue().equalsIgnoreCase("true")) {
                    return true;
                }
                if (n.isTextual() && n.textValue().equalsIgnoreCase("false")) {
                    return false;
                }
                throw expected("true or false", n);
            }
        };
    }

    /** Text; a number or true/false is its text. */
    static KeyType<String> text(String takes) {
        return new KeyType<>(takes) {
            @Override
            String parse(JsonNode n) {
                if (n.isContainerNode()) {
                    throw expected("a single value", n);
                }
                return n.asText();
            }
        };
    }

    /** Text matching {@code pattern}, else "'value' is not {@code what}". */
    static KeyType<String> matching(String pattern, String what) {
        return new KeyType<>(what) {
            @Override
            String parse(JsonNode n) {
                String s = text(what).parse(n);
                if (!s.matches(pattern)) {
                    throw new IllegalArgumentException("'" + s + "' is not " + what);
                }
                return s;
            }
        };
    }

    /** One of {@code choices}, compared lowercased. */
    static KeyType<String> choice(String... choices) {
        List<String> list = List.of(choices);
        String words = String.join(", ", list);
        return new KeyType<>("one of " + words) {
            @Override
            String parse(JsonNode n) {
                String s = text("a single value").parse(n).toLowerCase(Locale.ROOT);
                if (!list.contains(s)) {
                    throw new IllegalArgumentException("'" + s + "' is not one of " + words);
                }
                return s;
            }
        };
    }

    /** An octal file mode (see {@link FileMode#parse}). */
    static KeyType<Integer> mode() {
        return new KeyType<>("an octal file mode (\"0660\")") {
            @Override
            Integer parse(JsonNode n) {
                return FileMode.parse(n);
            }
        };
    }

    /**
     * A Unix socket's path, made absolute; at most about 100 bytes, as the kernel allows. With
     * {@code emptyIsOff}, '' is the empty path: the socket is switched off.
     */
    static KeyType<Path> socketPath(boolean emptyIsOff) {
        return new KeyType<>(emptyIsOff ? "a path (at most 100 bytes), or '' for off" : "a path (at most 100 bytes)") {
            @Override
            Path parse(JsonNode n) {
                String value = text("a single value").parse(n);
                if (value.isEmpty() && emptyIsOff) {
                    return OFF;
                }
                if (value.isBlank()) {
                    throw new IllegalArgumentException("empty path");
                }
                Path p = Path.of(value).toAbsolutePath().normalize();
                if (p.toString().getBytes(StandardCharsets.UTF_8).length > 100) {
                    throw new IllegalArgumentException("socket path " + p
                            + " is too long (Unix sockets allow about 100 bytes)");
                }
                return p;
            }
        };
    }

    /** A list of text; one value is a list of one. */
    static KeyType<List<String>> textList(String takes) {
        return new KeyType<>(takes) {
            @Override
            List<String> parse(JsonNode n) {
                List<String> out = new ArrayList<>();
                for (JsonNode item : items(n)) {
                    if (item.isContainerNode()) {
                        throw new BadItem(out.size(), expected("a single value", item).getMessage());
                    }
                    out.add(item.isNull() ? null : item.asText());
                }
                return Collections.unmodifiableList(out);
            }
        };
    }

    /** Event type names, trimmed, in order, each once. */
    static KeyType<Set<String>> eventTypes() {
        return new KeyType<>("a list of event type names") {
            @Override
            Set<String> parse(JsonNode n) {
                Set<String> types = new LinkedHashSet<>();
                for (String t : textList(takes()).parse(n)) {
                    if (t == null || !t.trim().matches("[A-Za-z0-9_]{1,64}")) {
                        throw new IllegalArgumentException("'" + t + "' is not an event type name");
                    }
                    types.add(t.trim());
                }
                return Collections.unmodifiableSet(types);
            }
        };
    }

    /**
     * A set of uids; an empty list is refused ({@code emptyIsNone} false: it would let nobody in, or,
     * read as "not set", everybody) or means none ({@code emptyIsNone} true).
     */
    static KeyType<Set<Integer>> uids(boolean emptyIsNone) {
        return new KeyType<>("a list of uids") {
            @Override
            Set<Integer> parse(JsonNode n) {
                Set<Integer> out = new TreeSet<>();
                int index = 0;
                for (JsonNode item : items(n)) {
                    long uid;
                    try {
                        uid = item.isNull() ? -1 : wholeNumber(item);
                    } catch (IllegalArgumentException e) {
                        throw new BadItem(index, expected("a whole number", item).getMessage());
                    }
                    index++;
                    if (uid < 0 || uid > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("uids are non-negative integers, got "
                                + (item.isNull() ? "null" : item.asText()));
                    }
                    out.add((int) uid);
                }
                if (out.isEmpty() && !emptyIsNone) {
                    throw new IllegalArgumentException("an empty list would let nobody in (or, read as 'not set',"
                            + " everybody); list the uids that may connect, or remove the key");
                }
                return Collections.unmodifiableSet(out);
            }
        };
    }

    /** A section of names and text values, in order (values checked by the validator). */
    static KeyType<Map<String, String>> textMap(String takes) {
        return new KeyType<>(takes) {
            @Override
            Map<String, String> parse(JsonNode n) {
                if (!n.isObject()) {
                    throw expected("a section of keys", n);
                }
                Map<String, String> out = new LinkedHashMap<>();
                for (var it = n.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue().isContainerNode()) {
                        throw expected("a single value", e.getValue());
                    }
                    out.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
                }
                return Collections.unmodifiableMap(out);
            }
        };
    }

    /** An IP literal and a port ({@link ListenAddress}); empty: off (null). */
    static KeyType<InetSocketAddress> listenAddress() {
        return new KeyType<>("IP:PORT (an IP literal, never a name), or \"\" for off") {
            @Override
            InetSocketAddress parse(JsonNode n) {
                String s = text("a single value").parse(n);
                return s.isBlank() ? null : ListenAddress.parse(s);
            }
        };
    }

    /** A secret given inline; "" is none. Never echoed. */
    static KeyType<Secret> secret() {
        return new KeyType<>("text (never logged)") {
            @Override
            Secret parse(JsonNode n) {
                if (n.isContainerNode()) {
                    throw expected("a single value", n);
                }
                return n.asText().isEmpty() ? null : new Secret(n.asText());
            }
        };
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /** A list's items; one value is a list of one, a section is refused. */
    static Iterable<JsonNode> items(JsonNode n) {
        if (n.isObject()) {
            throw expected("a list", n);
        }
        return n.isArray() ? n : List.of(n);
    }

    /** A whole number as YAML gives it (a number, or text of digits), else the plain-words refusal. */
    static long wholeNumber(JsonNode n) {
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                throw new IllegalArgumentException(n.asText() + " is out of range");
            }
            return n.longValue();
        }
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.textValue().trim());
            } catch (NumberFormatException e) {
                throw expected("a whole number", n);
            }
        }
        throw expected("a whole number", n);
    }

    static long inRange(long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is out of range (" + min + " to " + max + ")");
        }
        return v;
    }
}

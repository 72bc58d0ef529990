package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The flags given on the command line, by long name, with their values (text, a list, a boolean or
 * a number, as the flag's {@link Flag.Value} says); a flag not given is absent. Each sets its key of
 * the tree as its declaration says ({@link #applyTo}, {@link Flag.Target}). Immutable.
 */
public final class Overrides {
    private static final Overrides NONE = new Overrides(Map.of());
    private final Map<String, Object> given;

    private Overrides(Map<String, Object> given) {
        this.given = Map.copyOf(given);
    }

    public static Overrides none() {
        return NONE;
    }

    /** These flags and {@code flag} ("--flushtime") with {@code value}; null leaves it out. */
    public Overrides with(String flag, Object value) {
        String longName = Keys.flagged().stream().map(Key::flag).filter(f -> f.names().contains(flag)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key has the flag " + flag)).longName();
        Map<String, Object> next = new LinkedHashMap<>(given);
        if (value == null) {
            next.remove(longName);
        } else {
            next.put(longName, value);
        }
        return new Overrides(next);
    }

    /** Whether the flag with this long name was given. */
    public boolean has(String longName) {
        return given.containsKey(longName);
    }

    /** The value given for {@code flag}'s long name, or null. */
    Object get(Flag flag) {
        return given.get(flag.longName());
    }

    /**
     * Sets the given flags' keys in {@code tree}, in the keys' order, remembering each flag. FEVER's
     * -o/-t/-T are ignored (noted) when the file is FEVER's with a multi-forward section, as FEVER
     * ignores them then.
     */
    void applyTo(ConfigTree tree) {
        boolean defaultOutputTouched = false;
        for (Key<?> k : Keys.flagged()) {
            Flag flag = k.flag();
            Object value = given.get(flag.longName());
            if (value == null) {
                continue;
            }
            JsonNode node = node(value);
            switch (flag.target()) {
                case KEY -> tree.setByFlag(flag.longName(), k.name(), node);
                case DEFAULT_OUTPUT -> {
                    if (tree.multiForward()) {
                        if (!defaultOutputTouched) {
                            tree.notes().add(defaultOutputFlags() + " are ignored: the config file has a"
                                    + " multi-forward section (as in FEVER)");
                        }
                    } else {
                        if (!defaultOutputTouched && !hasDefaultOutput(tree)) {
                            tree.set(Keys.OUT_SOCKET.of(ConfigDefaults.DEFAULT_OUTPUT), // the default's own socket
                                    JsonNodeFactory.instance.textNode(ConfigDefaults.outSocket()));
                        }
                        tree.setByFlag(flag.longName(), k.of(ConfigDefaults.DEFAULT_OUTPUT), node);
                    }
                    defaultOutputTouched = true;
                }
                case EVERY_OUTPUT -> {
                    if (tree.root().get("outputs") instanceof ObjectNode outputs) {
                        for (Iterator<String> it = outputs.fieldNames(); it.hasNext(); ) {
                            tree.setByFlag(flag.longName(), k.of(it.next()), node);
                        }
                    }
                }
                case DEBUG -> {
                    if (Boolean.TRUE.equals(value)) {
                        tree.setByFlag(flag.longName(), k.name(), JsonNodeFactory.instance.textNode("debug"));
                    }
                }
                case FEVER_MEASUREMENT -> {
                    tree.setByFlag(flag.longName(), k.name(), node);
                    tree.setByFlag(flag.longName(), Keys.FORMAT.name(), JsonNodeFactory.instance.textNode("fever"));
                }
                default -> throw new IllegalStateException(flag.target().name());
            }
        }
    }

    private static boolean hasDefaultOutput(ConfigTree tree) {
        return tree.root().get("outputs") instanceof ObjectNode o && o.hasNonNull(ConfigDefaults.DEFAULT_OUTPUT);
    }

    /** "--out-socket, --fwd-event-types and --fwd-all-types". */
    private static String defaultOutputFlags() {
        List<String> names = Keys.flagged().stream().map(Key::flag)
                .filter(f -> f.target() == Flag.Target.DEFAULT_OUTPUT).map(Flag::longName).toList();
        return names.subList(0, names.size() - 1).stream().collect(Collectors.joining(", "))
                + " and " + names.get(names.size() - 1);
    }

    private static JsonNode node(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value instanceof List<?> list) {
            ArrayNode a = f.arrayNode();
            list.forEach(item -> a.add(String.valueOf(item)));
            return a;
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return f.numberNode(i);
        }
        return f.textNode(String.valueOf(value));
    }
}

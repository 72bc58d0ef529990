package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the merged configuration tree by the keys' declarations ({@link Keys}): a name no key or
 * section declares is refused with the names known at its place, each value is read by its key's
 * {@link KeyType}. The result is the values of the configuration as a whole and of each output, in the
 * file's order of outputs; relations between keys are the validator's. Stateless.
 */
final class KeyBinder {
    /** What the tree holds: the global values, and each output's by name. */
    record Bound(Settings global, Map<String, Settings> outputs) {
    }

    private KeyBinder() {
    }

    static Bound bind(ConfigTree tree) throws ConfigException {
        ObjectNode root = tree.root();
        checkNames(tree, root, "");
        Map<Key<?>, Object> global = new LinkedHashMap<>();
        for (Key<?> k : Keys.globalKeys()) {
            global.put(k, k.read(at(root, k.name()), k.name()));
        }
        Map<String, Settings> outputs = new LinkedHashMap<>();
        if (root.get("outputs") instanceof ObjectNode sections) {
            for (Iterator<Map.Entry<String, JsonNode>> it = sections.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Map<Key<?>, Object> values = new LinkedHashMap<>();
                for (Key<?> k : Keys.outputKeys()) {
                    values.put(k, k.read(e.getValue().get(k.leaf()), k.of(e.getKey())));
                }
                outputs.put(e.getKey(), new Settings(values));
            }
        }
        return new Bound(new Settings(global), outputs);
    }

    private static JsonNode at(JsonNode root, String dottedKey) {
        JsonNode n = root;
        for (String part : dottedKey.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    /** Refuses a name that is neither a key nor a section at its place, and a section that is not one. */
    private static void checkNames(ConfigTree tree, ObjectNode section, String prefix) throws ConfigException {
        Set<String> known = namesUnder(prefix);
        for (Iterator<Map.Entry<String, JsonNode>> it = section.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (!known.contains(e.getKey())) {
                throw unknown(tree, key, known);
            }
            JsonNode v = e.getValue();
            if (key.equals("outputs")) {
                checkOutputs(tree, v);
            } else if (isSection(key)) {
                if (v.isObject()) {
                    checkNames(tree, (ObjectNode) v, key + ".");
                } else if (!v.isNull()) {
                    throw new ConfigException(key, "expected a section of keys, found " + BindingErrors.kind(v));
                }
            }
        }
    }

    private static void checkOutputs(ConfigTree tree, JsonNode outputs) throws ConfigException {
        if (outputs.isNull()) {
            return;
        }
        if (!outputs.isObject()) {
            throw new ConfigException("outputs", "expected a section of keys, found " + BindingErrors.kind(outputs));
        }
        Set<String> known = new TreeSet<>(Keys.outputKeys().stream().map(Key::leaf).toList());
        for (Iterator<Map.Entry<String, JsonNode>> it = outputs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = "outputs." + e.getKey();
            if (!e.getValue().isObject()) {
                throw new ConfigException(key, BindingErrors.notAnOutput(e.getKey(), e.getValue(), known));
            }
            for (Iterator<String> names = e.getValue().fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    throw unknown(tree, key + "." + name, known);
                }
            }
        }
    }

    /** The refusal of {@code key}, which no declaration has: with the names {@code known} at its place. */
    private static ConfigException unknown(ConfigTree tree, String key, Set<String> known) {
        if (!ConfigLoader.isKeyName(key)) { // a file that is not a config file: never echo its content
            return new ConfigException(tree.source() + ": not an eveflow or FEVER configuration file");
        }
        return new ConfigException(key, "unknown key (known keys here: " + String.join(", ", known) + ")");
    }

    /** The names a key or section may have directly under {@code prefix} ("" or "stats."), sorted. */
    private static Set<String> namesUnder(String prefix) {
        Set<String> names = new TreeSet<>();
        for (Key<?> k : Keys.ALL_KEYS) {
            String name = k.perOutput() ? "outputs" : k.name();
            if (name.startsWith(prefix)) {
                String rest = name.substring(prefix.length());
                names.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
            }
        }
        return names;
    }

    /** Whether {@code dotted} names a section of keys (a prefix of a declared key), not a key. */
    private static boolean isSection(String dotted) {
        return Keys.globalKeys().stream().anyMatch(k -> k.name().startsWith(dotted + "."));
    }
}

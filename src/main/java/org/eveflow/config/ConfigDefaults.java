package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The built-in defaults as a configuration tree, made from the keys' declarations ({@link Keys}):
 * every key with a default at its place, and the output {@code default} with every per-output
 * default, its socket and its types. The shipped conf/eveflow.yaml shows the same values (a test holds
 * it to them). Immutable (every accessor returns a copy), thread-safe.
 */
public final class ConfigDefaults {
    public static final String DEFAULT_OUTPUT = "default";
    private static final ObjectNode TREE = build();

    private ConfigDefaults() {
    }

    private static ObjectNode build() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Key<?> k : Keys.ALL_KEYS) {
            JsonNode value = k.defaultNode();
            if (value != null) {
                put(root, k.of(DEFAULT_OUTPUT), value);
            }
        }
        return root;
    }

    private static void put(ObjectNode root, String dottedKey, JsonNode value) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            n = n.has(parts[i]) ? (ObjectNode) n.get(parts[i]) : n.putObject(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }

    /** The whole defaults tree, a copy the caller may change. */
    static ObjectNode tree() {
        return TREE.deepCopy();
    }

    /** The output {@code default}'s section (its socket, types and the per-output defaults). */
    static ObjectNode defaultOutput() {
        return (ObjectNode) TREE.path("outputs").path(DEFAULT_OUTPUT).deepCopy();
    }

    /** The default input socket path (for help texts and tests). */
    public static String inSocket() {
        return Keys.INPUT_SOCKET.defaultYaml();
    }

    /** The output {@code default}'s socket path (for help texts, tests and FEVER's legacy output). */
    public static String outSocket() {
        return Keys.OUT_SOCKET.defaultYaml();
    }

    /** A default by its dotted key ("aggregate.flushtime"), or a missing node. */
    public static JsonNode get(String dottedKey) {
        JsonNode n = TREE;
        for (String part : dottedKey.split("\\.")) {
            n = n.path(part);
        }
        return n.deepCopy();
    }
}

package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The built-in defaults: {@code conf/eveflow.yaml}, the file shipped as {@code
 * /etc/eveflow/eveflow.yaml}, bundled in the jar. It is the one place a default is declared; a key it
 * leaves commented out has a default derived at load time (see {@link ConfigValidator}). Its
 * {@code outputs.default} section is also the template of every output's unset keys, except
 * {@code socket}, {@code types} and {@code aggregates}. Immutable (every accessor returns a copy),
 * thread-safe.
 */
public final class ConfigDefaults {
    static final String RESOURCE = "eveflow.yaml";
    public static final String DEFAULT_OUTPUT = "default";
    private static final ObjectNode TREE = load();

    private ConfigDefaults() {
    }

    private static ObjectNode load() {
        try (InputStream in = ConfigDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks org/eveflow/config/" + RESOURCE);
            }
            return (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the bundled " + RESOURCE + " is unreadable", e);
        }
    }

    /** The whole defaults tree, a copy the caller may change. */
    static ObjectNode tree() {
        return TREE.deepCopy();
    }

    /** The output {@code default}'s section as declared (its socket, types and the per-output defaults). */
    static ObjectNode defaultOutput() {
        return (ObjectNode) TREE.path("outputs").path(DEFAULT_OUTPUT).deepCopy();
    }

    /** The default input socket path (for help texts and tests). */
    public static String inSocket() {
        return TREE.path("input").path("socket").asText();
    }

    /** The output {@code default}'s socket path (for help texts, tests and FEVER's legacy output). */
    public static String outSocket() {
        return defaultOutput().path("socket").asText();
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

package org.eveflow.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Builds a {@link Config}: the defaults, the file and the flags merged into one tree in that order of
 * precedence ({@link ConfigTree}), bound by Jackson ({@link ConfigFile}), checked and completed by
 * {@link ConfigValidator}. Every problem becomes one {@link ConfigException} naming the key (or the
 * flag) and never echoing the file's content. Stateless, thread-safe.
 */
public final class ConfigLoader {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(ValueDeserializers.module())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private ConfigLoader() {
    }

    /** Loads and validates; {@code file} may be null (built-in defaults and flags only). */
    public static Config load(Path file, Overrides flags) throws ConfigException {
        return load(file, flags, false, c -> { });
    }

    /** A check of a component made from the configuration, by the component's own rules. */
    @FunctionalInterface
    public interface Check {
        /** Throws a {@link ConfigException} naming the key the component refuses. */
        void check(Config config) throws ConfigException;
    }

    /**
     * As {@link #load(Path, Overrides)}, then {@code components} (whose refusals are located in the file
     * like every other); for a {@code reload} (SIGHUP) an empty file is refused: it would reset every
     * reloadable setting to its default, which is never what a half-written file means.
     */
    public static Config load(Path file, Overrides flags, boolean reload, Check components) throws ConfigException {
        ConfigTree tree = ConfigTree.of(file, reload);
        try {
            (flags == null ? Overrides.none() : flags).applyTo(tree);
            tree.fillOutputDefaults();
            Config config = ConfigValidator.validate(bind(tree), tree);
            components.check(config);
            return config;
        } catch (ConfigException e) {
            throw e.key() == null ? e : e.locatedAt(tree.describe(e.key()));
        }
    }

    private static ConfigFile bind(ConfigTree tree) throws ConfigException {
        try {
            return YAML.treeToValue(tree.root(), ConfigFile.class);
        } catch (UnrecognizedPropertyException e) {
            String key = path(e);
            if (!isKeyName(key)) { // a file that is not a config file: never echo its content
                throw new ConfigException(tree.source() + ": not an eveflow or FEVER configuration file");
            }
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys here: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(key, "unknown key" + known);
        } catch (BadValue e) {
            throw new ConfigException(path(e), e.getOriginalMessage());
        } catch (JsonMappingException e) {
            String key = path(e);
            throw new ConfigException(key.isEmpty() ? "(top level)" : key, BindingErrors.describe(e, tree.root(), key));
        } catch (JsonProcessingException e) {
            throw new ConfigException(tree.source() + ": unreadable configuration");
        }
    }

    /** Whether a key as reported by Jackson looks like a configuration key (safe to print). */
    static boolean isKeyName(String key) {
        return key.matches("[A-Za-z0-9_.\\[\\]-]{1,100}");
    }

    /** The dotted key of a binding error ("outputs.siem.buffer-bytes", "input.allowed-uids[1]"). */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }
}

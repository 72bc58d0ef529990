package org.eveflow.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;

/**
 * Builds a {@link Config}: the defaults, the file and the flags merged into one tree in that order of
 * precedence ({@link ConfigTree}), read by the keys' declarations ({@link KeyBinder}), checked and
 * completed by {@link ConfigValidator}. Every problem becomes one {@link ConfigException} naming the key (or the
 * flag) and never echoing the file's content. Stateless, thread-safe.
 */
public final class ConfigLoader {
    /** Reads a file's tree; a key given twice in one section is refused. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

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
            Config config = ConfigValidator.validate(KeyBinder.bind(tree), tree);
            components.check(config);
            return config;
        } catch (ConfigException e) {
            throw e.key() == null ? e : e.locatedAt(tree.describe(e.key()));
        }
    }

    /** Whether a name in the file looks like a configuration key (safe to print). */
    static boolean isKeyName(String key) {
        return key.matches("[A-Za-z0-9_.\\[\\]-]{1,100}");
    }
}

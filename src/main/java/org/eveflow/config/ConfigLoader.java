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
        return load(file, flags, false);
    }

    /**
     * As {@link #load(Path, Overrides)}; for a {@code reload} (SIGHUP) an empty file is refused: it
     * would reset every reloadable setting to its default, which is never what a half-written file means.
     */
    public static Config load(Path file, Overrides flags, boolean reload) throws ConfigException {
        ConfigTree tree = ConfigTree.of(file, reload);
        (flags == null ? Overrides.none() : flags).applyTo(tree);
        tree.fillOutputDefaults();
        return ConfigValidator.validate(bind(tree, file), tree);
    }

    private static ConfigFile bind(ConfigTree tree, Path file) throws ConfigException {
        String in = file == null ? "" : file + ": ";
        try {
            return YAML.treeToValue(tree.root(), ConfigFile.class);
        } catch (UnrecognizedPropertyException e) {
            String key = path(e);
            if (!isKeyName(key)) { // a file that is not a config file: never echo its content
                throw new ConfigException(in + "not an eveflow or FEVER configuration file (an unknown key" + at(e) + ")");
            }
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys here: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(in + "unknown key '" + key + "'" + known);
        } catch (BadValue e) {
            String key = path(e);
            throw new ConfigException((tree.origin(key) != null ? "" : in) + tree.name(key) + ": " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            String key = path(e);
            throw new ConfigException((tree.origin(key) != null ? "" : in) + (key.isEmpty() ? "" : "key '"
                    + tree.name(key) + "': ") + withoutContent(firstLine(e.getOriginalMessage())) + at(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(in + firstLine(e.getOriginalMessage()));
        }
    }

    /** Whether a key as reported by Jackson looks like a configuration key (safe to print). */
    static boolean isKeyName(String key) {
        return key.matches("[A-Za-z0-9_.\\[\\]-]{1,100}");
    }

    /** " at line L, column C" of a parse or mapping error, or "". */
    static String at(IOException e) {
        if (e instanceof JsonProcessingException j && j.getLocation() != null && j.getLocation().getLineNr() > 0) {
            return " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return "";
    }

    /** A Jackson message with any quoted value it repeats from the file cut to 20 characters. */
    private static String withoutContent(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]{20})[^\"]+\"").matcher(message);
        return m.replaceAll("\"$1...\"");
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

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid value";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

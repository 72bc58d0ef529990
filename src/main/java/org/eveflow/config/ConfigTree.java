package org.eveflow.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration as a tree of eveflow's keys, built in the order of precedence: the defaults
 * ({@link ConfigDefaults}), the file merged over them (FEVER's dialect translated first), the flags
 * set over both ({@link Overrides#applyTo}), then every output's unset keys filled from the default
 * output's. It remembers which keys a flag set ({@link #origin}), so a message can name the flag.
 * Merging: a key the file gives no value keeps its default; sections merge key by key, except {@code outputs}, which
 * the file's replaces as a whole. Built and read by one thread, then dropped.
 */
final class ConfigTree {
    private final ObjectNode root = ConfigDefaults.tree();
    private final Map<String, String> flagOf = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private Path file;
    private KeyPlaces places = KeyPlaces.none();
    private boolean fever;
    private boolean multiForward;

    /** The defaults, with {@code file} (null: none) merged over them; an empty file is the defaults. */
    static ConfigTree of(Path file, boolean reload) throws ConfigException {
        ConfigTree t = new ConfigTree();
        ObjectNode read = file == null ? null : t.readFile(file);
        if (reload && file != null && read == null) {
            throw new ConfigException(file + ": the file is empty; reload refused (it would reset every setting to"
                    + " its default), the running configuration stays");
        }
        if (read != null) {
            merge(t.root, read, true);
        }
        return t;
    }

    ObjectNode root() {
        return root;
    }

    List<String> notes() {
        return notes;
    }

    /** Whether the file is FEVER's with a multi-forward section (FEVER's -o/-t/-T do not apply then). */
    boolean multiForward() {
        return multiForward;
    }

    /** Sets {@code dottedKey} to {@code value}, as given by {@code flag} (e.g. "--flushtime"). */
    void setByFlag(String flag, String dottedKey, JsonNode value) {
        set(dottedKey, value);
        flagOf.put(dottedKey, flag);
    }

    /** Sets {@code dottedKey} to {@code value}, creating its sections, without naming a flag for it. */
    void set(String dottedKey, JsonNode value) {
        String[] parts = dottedKey.split("\\.");
        ObjectNode n = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = n.get(parts[i]);
            n = child instanceof ObjectNode o ? o : n.putObject(parts[i]);
        }
        n.set(parts[parts.length - 1], value);
    }

    /** The flag that set {@code dottedKey}, or null when the file or a default did. */
    String origin(String dottedKey) {
        return flagOf.get(dottedKey);
    }

    /**
     * Where a message about {@code dottedKey} points: the flag that set it ("--flushtime
     * (aggregate.flushtime)"); else its place in the file, or its nearest section's ("FILE:7:5:
     * outputs.siem.socket", a FEVER file's key named as written there); else the key (a default).
     */
    String describe(String dottedKey) {
        String flag = flagOf.get(dottedKey);
        if (flag != null) {
            return flag + " (" + dottedKey + ")";
        }
        String written = fever ? FeverDialect.keyInFile(dottedKey, multiForward) : dottedKey;
        KeyPlaces.Place p = places.find(written);
        if (file == null || p == null) {
            return dottedKey;
        }
        return p.in(file) + ": "
                + (written.equals(dottedKey) ? dottedKey : written + " (" + dottedKey + ")");
    }

    /** The file the configuration came from, for a message about all of it. */
    String source() {
        return file == null ? "the built-in defaults and flags" : file.toString();
    }

    /** "FILE:LINE:COLUMN" of a place in the file. */
    String at(int line, int column) {
        return new KeyPlaces.Place(line, column).in(file);
    }

    /**
     * Fills each output's unset keys from the default output's declared ones (never socket or
     * aggregates; types only for the output named "default", others forward no type unless told).
     */
    void fillOutputDefaults() {
        ObjectNode template = ConfigDefaults.defaultOutput();
        JsonNode defaultTypes = template.remove("types");
        template.remove("socket");
        template.remove("aggregates");
        JsonNode outputs = root.get("outputs");
        if (!(outputs instanceof ObjectNode map)) {
            return; // not a map: binding names the problem
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() == null || e.getValue().isNull()) {
                e.setValue(JsonNodeFactory.instance.objectNode());
            }
            if (!(e.getValue() instanceof ObjectNode section)) {
                continue;
            }
            template.fields().forEachRemaining(d -> {
                if (!section.hasNonNull(d.getKey())) {
                    section.set(d.getKey(), d.getValue().deepCopy());
                }
            });
            if (!section.hasNonNull("types")) {
                section.set("types", e.getKey().equals(ConfigDefaults.DEFAULT_OUTPUT) ? defaultTypes.deepCopy()
                        : JsonNodeFactory.instance.arrayNode());
            }
        }
    }

    /** {@code over} merged into {@code base}: a null keeps a default, sections key by key, outputs replaced whole. */
    static void merge(ObjectNode base, ObjectNode over, boolean topLevel) {
        for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            JsonNode current = base.get(e.getKey());
            if ((v == null || v.isNull()) && current != null) {
                continue; // "key:" with no value keeps the default
            }
            if (topLevel && e.getKey().equals("outputs")) {
                base.set("outputs", v.deepCopy());
            } else if (v instanceof ObjectNode o && current instanceof ObjectNode c) {
                merge(c, o, false);
            } else {
                base.set(e.getKey(), v.deepCopy());
            }
        }
    }

    /** The file as eveflow's tree (FEVER's dialect translated), or null when it is empty. */
    private ObjectNode readFile(Path file) throws ConfigException {
        this.file = file;
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigException("cannot read config file " + file + ": "
                    + e.getClass().getSimpleName().replace("Exception", "") + " " + e.getMessage());
        }
        if (text.isBlank()) {
            return null;
        }
        JsonNode tree;
        try (JsonParser parser = ConfigLoader.YAML.createParser(text)) {
            tree = ConfigLoader.YAML.readTree(parser);
            if (parser.nextToken() != null) { // a "---" and more: eveflow would read only the first document
                throw new ConfigException(at(parser.currentTokenLocation().getLineNr(),
                        parser.currentTokenLocation().getColumnNr()) + ": a second YAML document (after '---'):"
                        + " a config file is one document; merge the two or remove the second");
            }
        } catch (IOException e) {
            throw new ConfigException(YamlErrors.describe(file, text, e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return null;
        }
        if (!tree.isObject()) {
            throw new ConfigException(file + ": not a YAML mapping of configuration keys (is it the right file?)");
        }
        places = KeyPlaces.read(text);
        if (!FeverDialect.applies(tree)) {
            return (ObjectNode) tree;
        }
        try {
            FeverDialect.Result r = FeverDialect.translate((ObjectNode) tree);
            fever = true; // from here on a key is located by the name FEVER's file gives it
            notes.add(file + ": read as FEVER's fever.yaml");
            r.notes().forEach(n -> notes.add(file + ": " + n));
            multiForward = r.multiForward();
            return r.tree();
        } catch (ConfigException e) {
            throw e.key() != null ? e.locatedAt(describe(e.key())) : new ConfigException(file + ": " + e.getMessage());
        }
    }
}

package org.eveflow.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the keys' own types cannot check ({@link KeyType}: syntax and range), and the defaults that are
 * derived rather than declared: relations between keys (an open socket mode needs a choice, allowed
 * uids need epoll, outputs and the input need distinct paths, the write-buffer marks their order,
 * InfluxDB's v1 and v2 settings), decode threads, an output's {@code aggregates}, the stats format,
 * secrets read from files and the group looked up. What depends on the JVM's memory (max-keys
 * {@code auto}, buffer-bytes that do not fit) is fitted later, in one step (daemon's JvmFit). Messages name the
 * key; the loader adds where it is. One instance per load, used by one thread.
 */
final class ConfigValidator {
    private static final String NAME = "[A-Za-z0-9_.-]{1,64}";
    private static final String MEASUREMENT = "[A-Za-z0-9_.-]{1,128}";

    private final ConfigTree tree;
    private final List<String> notes;
    private Settings global;

    private ConfigValidator(ConfigTree tree, Settings global) {
        this.tree = tree;
        this.global = global;
        this.notes = new ArrayList<>(tree.notes());
    }

    static Config validate(KeyBinder.Bound bound, ConfigTree tree) throws ConfigException {
        return new ConfigValidator(tree, bound.global()).config(bound.outputs());
    }

    /**
     * The path with its symlinks resolved as far as it exists (the file itself, else its directory), so
     * that two spellings of one socket compare equal; at connect time SocketForwarder also refuses a
     * listener that is eveflow itself, whatever the path.
     */
    private static Path resolved(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException noFile) {
            Path dir = p.toAbsolutePath().getParent();
            try {
                return dir == null ? p : dir.toRealPath().resolve(p.getFileName());
            } catch (IOException noDir) {
                return p.toAbsolutePath().normalize();
            }
        }
    }

    private <T> T get(Key<T> key) {
        return global.get(key);
    }

    private <T> void set(Key<T> key, T value) {
        global = global.with(key, value);
    }

    private Config config(Map<String, Settings> sections) throws ConfigException {
        input();
        aggregate();
        List<Config.Output> outputs = outputs(sections);
        Path in = resolved(get(Keys.INPUT_SOCKET));
        for (Config.Output out : outputs) {
            if (resolved(out.socket()).equals(in)) {
                throw new ConfigException(Keys.OUT_SOCKET.of(out.name()), "same path as the input socket ("
                        + get(Keys.INPUT_SOCKET) + ", symlinks resolved): eveflow would feed itself");
            }
        }
        String logFile = get(Keys.LOG_FILE);
        if (logFile != null && !logFile.isEmpty() && Files.isDirectory(Path.of(logFile))) {
            throw new ConfigException(Keys.LOG_FILE.name(), logFile + " is a directory; name a file in it");
        }
        set(Keys.LOG_FILE, logFile == null || logFile.isEmpty() ? null : logFile);
        stats();
        addFields();
        return new Config(global, outputs, notes);
    }

    private void input() throws ConfigException {
        int mode = get(Keys.SOCKET_MODE);
        Set<Integer> allowedUids = get(Keys.ALLOWED_UIDS);
        boolean narrowed = allowedUids != null && !allowedUids.isEmpty();
        if ((mode & 02) != 0 && !narrowed && !get(Keys.ALLOW_OTHER_USERS)) {
            throw new ConfigException(Keys.SOCKET_MODE.name(), String.format("%04o", mode) + " lets every local"
                    + " user connect and inject events; set input.allow-other-users: true if that is what you want, or"
                    + " restrict peers with input.allowed-uids, or use a mode without write for others (0660)");
        }
        if (get(Keys.TRANSPORT).equals("nio") && narrowed) {
            throw new ConfigException(Keys.ALLOWED_UIDS.name(), "needs the epoll transport (peer credentials), "
                    + "but input.transport is nio");
        }
        if (get(Keys.DECODE_THREADS) == null) {
            set(Keys.DECODE_THREADS, Math.min(2, Runtime.getRuntime().availableProcessors()));
        }
        set(Keys.SOCKET_GROUP, socketGroup(Keys.SOCKET_GROUP.name(), get(Keys.SOCKET_GROUP)));
    }

    /** aggregate.key's fields; max-keys and src-ports-total {@code auto} stay null until fitted to the JVM (the daemon). */
    private void aggregate() throws ConfigException {
        keyExtras(get(Keys.AGGREGATE_KEY));
    }

    /** aggregate.key: FEVER's three fields, plus any of proto, vlan, in_iface, each once. */
    private static void keyExtras(List<String> key) throws ConfigException {
        String k = Keys.AGGREGATE_KEY.name();
        if (!key.containsAll(Config.Aggregate.KEY_BASE)) {
            throw new ConfigException(k, "must contain " + Config.Aggregate.KEY_BASE + ", got " + key);
        }
        List<String> extras = new ArrayList<>();
        for (String field : key) {
            if (Config.Aggregate.KEY_BASE.contains(field)) {
                continue;
            }
            if (!Config.Aggregate.KEY_EXTRAS.contains(field) || extras.contains(field)) {
                throw new ConfigException(k, "'" + field + "' is not one of " + Config.Aggregate.KEY_EXTRAS
                        + " (or is listed twice)");
            }
            extras.add(field);
        }
        if (key.size() != Config.Aggregate.KEY_BASE.size() + extras.size()) {
            throw new ConfigException(k, "a field is listed twice: " + key);
        }
    }

    /**
     * The outputs in the file's order; one whose socket is '' is switched off (FEVER's -o ''). {@code
     * aggregates} defaults to true only when exactly one output is on, so aggregates are never copied
     * into several outputs unasked.
     */
    private List<Config.Output> outputs(Map<String, Settings> sections) throws ConfigException {
        long active = sections.values().stream().filter(s -> !KeyType.OFF.equals(s.get(Keys.OUT_SOCKET))).count();
        List<Config.Output> result = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Map.Entry<String, Settings> e : sections.entrySet()) {
            String name = e.getKey();
            if (!name.matches(NAME)) {
                throw new ConfigException("outputs." + name, "output names use letters, digits, '_', '.', '-' (1-64 chars)");
            }
            Config.Output o = new Config.Output(name, e.getValue());
            if (o.socket() == null) {
                throw new ConfigException(Keys.OUT_SOCKET.of(name), "missing");
            }
            if (o.socket().equals(KeyType.OFF)) {
                continue;
            }
            if (!seen.add(o.socket())) {
                throw new ConfigException(Keys.OUT_SOCKET.of(name), o.socket() + " is used by another output");
            }
            if (o.writeBufferLow() > o.writeBufferHigh()) {
                throw new ConfigException(Keys.WRITE_BUFFER_LOW.of(name), o.writeBufferLow() + " is above "
                        + Keys.WRITE_BUFFER_HIGH.of(name) + " (" + o.writeBufferHigh() + ")");
            }
            if (o.get(Keys.AGGREGATES) == null) {
                o = o.with(Keys.AGGREGATES, active == 1);
            }
            result.add(o);
        }
        if (result.size() > Config.MAX_OUTPUTS) {
            throw new ConfigException("outputs", "at most " + Config.MAX_OUTPUTS + " outputs are on, got "
                    + result.size());
        }
        if (!result.isEmpty() && result.stream().noneMatch(Config.Output::aggregates)) {
            notes.add("no output has 'aggregates: true': flow events are aggregated and counted, and the aggregates"
                    + " are written nowhere");
        }
        return result;
    }

    private void stats() throws ConfigException {
        String measurement = get(Keys.MEASUREMENT);
        if (tree.origin(Keys.MEASUREMENT.name()) != null) { // FEVER's --toolname: any non-empty name, as FEVER takes it
            if (measurement.isBlank()) {
                throw new ConfigException(Keys.MEASUREMENT.name(), "empty");
            }
        } else if (!measurement.matches(MEASUREMENT)) {
            throw new ConfigException(Keys.MEASUREMENT.name(), "'" + measurement + "' is not a measurement name");
        }
        if (get(Keys.HOST) != null && get(Keys.HOST).isBlank()) {
            throw new ConfigException(Keys.HOST.name(), "empty");
        }
        Map<String, String> tags = get(Keys.TAGS) == null ? Map.of() : get(Keys.TAGS);
        for (Map.Entry<String, String> t : tags.entrySet()) {
            String k = t.getKey();
            if (!k.matches(NAME) || k.equals("host") || k.equals("output") || k.equals("thread")) {
                throw new ConfigException("stats.tags." + k, "tag names use letters, digits, '_', '.', '-'"
                        + " ('host', 'output' and 'thread' are set by eveflow)");
            }
            if (t.getValue() == null || t.getValue().isEmpty()) {
                throw new ConfigException("stats.tags." + k, "empty value");
            }
        }
        set(Keys.TAGS, Map.copyOf(tags));
        if (get(Keys.FORMAT) == null) {
            set(Keys.FORMAT, measurement.equals("fever") ? "fever" : "eveflow");
        }
        global = InfluxSettings.check(global);
    }

    /** add-fields: names and values as given (strings), in order; names non-empty, at most 31. */
    private void addFields() throws ConfigException {
        Map<String, String> given = get(Keys.ADD_FIELDS);
        if (given == null || given.isEmpty()) {
            set(Keys.ADD_FIELDS, null);
            return;
        }
        if (given.size() > 31) {
            throw new ConfigException("add-fields", "at most 31 fields, got " + given.size());
        }
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new ConfigException("add-fields", "empty field name");
            }
            if (e.getValue() == null) {
                throw new ConfigException("add-fields." + e.getKey(), "needs a value");
            }
            out.put(e.getKey(), e.getValue());
        }
        set(Keys.ADD_FIELDS, Collections.unmodifiableMap(out));
    }

    /** The group name if it exists on this machine (null when not set). */
    private static String socketGroup(String key, String name) throws ConfigException {
        if (name == null) {
            return null;
        }
        if (name.isBlank()) {
            throw new ConfigException(key, "empty group name");
        }
        try {
            FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new ConfigException(key, "no group named '" + name + "' on this machine");
        } catch (IOException e) {
            throw new ConfigException(key, "cannot look up group '" + name + "': " + e.getMessage());
        }
        return name;
    }
}

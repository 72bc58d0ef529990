package org.eveflow.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds a {@link Config} from built-in defaults, the YAML file and the command-line flags, in that
 * order of precedence (flags win). Every problem becomes one {@link ConfigException} naming the key.
 * Stateless, thread-safe.
 */
public final class ConfigLoader {
    public static final String DEFAULT_IN_SOCKET = "/tmp/suri.sock";
    public static final String DEFAULT_OUT_SOCKET = "/tmp/suri-forward.sock";
    public static final String DEFAULT_OUTPUT_NAME = "default";
    public static final List<String> DEFAULT_FWD_TYPES = List.of("alert", "stats");

    static final int DEFAULT_SOCKET_MODE = 0660;
    static final String DEFAULT_IDLE_TIMEOUT = "60s";
    static final String DEFAULT_MAX_LINE = "16MiB";
    static final int DEFAULT_MAX_CONNECTIONS = 4;
    static final String DEFAULT_FLUSHTIME = "1m";
    static final int DEFAULT_MAX_KEYS = 100_000;
    static final int DEFAULT_PORTS_PER_KEY = 100;
    static final long DEFAULT_PORTS_TOTAL = 1_000_000;
    static final int DEFAULT_BUFFER_LINES = 100_000;
    static final String DEFAULT_BUFFER_BYTES = "64MiB";
    static final String DEFAULT_BACKOFF_MAX = "5s";
    static final String DEFAULT_GRACE = "10s";
    static final String DEFAULT_STATS_INTERVAL = "10s";
    static final String DEFAULT_MEASUREMENT = "eveflow";
    static final int DEFAULT_STATS_BUFFER = 10_000;

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
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
        Read read = file == null ? null : read(file);
        if (reload && file != null && read == null) {
            throw new ConfigException(file + ": the file is empty; reload refused (it would reset every setting to"
                    + " its default), the running configuration stays");
        }
        ConfigFile raw = read == null ? new ConfigFile(null, null, null, null, null, null, null) : read.file();
        return validate(raw, flags == null ? Overrides.none() : flags, read == null ? List.of() : read.notes(),
                read != null && read.multiForward());
    }

    /** The file as read, what reading it noted, and whether it is FEVER's with a multi-forward section. */
    record Read(ConfigFile file, List<String> notes, boolean multiForward) {
    }

    /** The file and its notes; null for an empty file. */
    static Read read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigException("cannot read config file " + file + ": " + describe(e));
        }
        if (text.isBlank()) {
            return null;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode tree = YAML.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return null;
            }
            if (!tree.isObject()) {
                throw new ConfigException(file + ": not a YAML mapping of configuration keys (is it the right file?)");
            }
            List<String> notes = new ArrayList<>();
            boolean multiForward = false;
            if (FeverDialect.applies(tree)) {
                FeverDialect.Result r = FeverDialect.translate((com.fasterxml.jackson.databind.node.ObjectNode) tree);
                notes.add(file + ": read as FEVER's fever.yaml");
                r.notes().forEach(n -> notes.add(file + ": " + n));
                tree = r.tree();
                multiForward = r.multiForward();
            }
            return new Read(YAML.treeToValue(tree, ConfigFile.class), List.copyOf(notes), multiForward);
        } catch (ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        } catch (UnrecognizedPropertyException e) {
            String key = path(e);
            if (!isKeyName(key)) { // a file that is not a config file: never echo its content
                throw new ConfigException(file + ": not an eveflow or FEVER configuration file (an unknown key"
                        + at(e) + ")");
            }
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys here: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", ")) + ")";
            throw new ConfigException(file + ": unknown key '" + key + "'" + known);
        } catch (JsonMappingException e) {
            String original = String.valueOf(e.getOriginalMessage());
            if (original.startsWith("Duplicate field")) {
                String name = original.replaceFirst("(?s)^Duplicate field '([^']*)'.*", "$1");
                throw new ConfigException(file + ": duplicate key" + (isKeyName(name) ? " '" + name + "'" : "") + at(e)
                        + " (each key may appear once; a second block would silently replace the first)");
            }
            String key = path(e);
            throw new ConfigException(file + ": " + (key.isEmpty() ? "" : "key '" + key + "': ")
                    + withoutContent(firstLine(e.getOriginalMessage())) + at(e));
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML" + at(e) + ": " + yamlProblem(e));
        }
    }

    /** Whether a key as reported by Jackson looks like a configuration key (safe to print). */
    private static boolean isKeyName(String key) {
        return key.matches("[A-Za-z0-9_.\\[\\]-]{1,100}");
    }

    /** " at line L, column C" of a parse or mapping error, or "". */
    private static String at(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                && j.getLocation().getLineNr() > 0) {
            return " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return "";
    }

    /**
     * What SnakeYAML expected, without the quoted lines of the file it adds (they may hold secrets):
     * only its own description lines, not the indented snippets and carets.
     */
    private static String yamlProblem(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                : e.getMessage();
        if (m == null) {
            return "invalid YAML";
        }
        List<String> parts = new ArrayList<>();
        for (String line : m.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                parts.add(line.length() > 100 ? line.substring(0, 100) + "..." : line);
            }
        }
        return parts.isEmpty() ? "invalid YAML" : String.join("; ", parts);
    }

    /** A Jackson message with any quoted value it repeats from the file cut to 20 characters. */
    private static String withoutContent(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]{20})[^\"]+\"").matcher(message);
        return m.replaceAll("\"$1...\"");
    }

    private static Config validate(ConfigFile f, Overrides o, List<String> fileNotes, boolean multiForward)
            throws ConfigException {
        List<String> notes = new ArrayList<>(fileNotes);
        ConfigFile.InputSection in = f.input() != null ? f.input()
                : new ConfigFile.InputSection(null, null, null, null, null, null, null, null, null, null, null);
        String inSocket = o.inSocket() != null ? o.inSocket() : or(in.socket(), DEFAULT_IN_SOCKET);
        Path inPath = socketPath(o.inSocket() != null ? "--in-socket" : "input.socket", inSocket);
        int mode = in.socketMode() == null ? DEFAULT_SOCKET_MODE : socketMode("input.socket-mode", in.socketMode());
        String group = socketGroup("input.socket-group", in.socketGroup());
        java.util.Set<Integer> allowedUids = uids("input.allowed-uids", in.allowedUids());
        if ((mode & 02) != 0 && allowedUids.isEmpty() && !Boolean.TRUE.equals(in.allowOtherUsers())) {
            throw new ConfigException("input.socket-mode: " + String.format("%04o", mode) + " lets every local user "
                    + "connect and inject events; set input.allow-other-users: true if that is what you want, or "
                    + "restrict peers with input.allowed-uids, or use a mode without write for others (0660)");
        }
        Duration idleTimeout = duration("input.idle-timeout", or(in.idleTimeout(), DEFAULT_IDLE_TIMEOUT));
        Config.Transport transport = transport(or(in.transport(), "auto"));
        if (transport == Config.Transport.NIO && !allowedUids.isEmpty()) {
            throw new ConfigException("input.allowed-uids: needs the epoll transport (peer credentials), "
                    + "but input.transport is nio");
        }
        int ioThreads = range("input.io-threads", in.ioThreads() == null ? 1 : in.ioThreads(), 1, 64);
        long maxLine = size("input.max-line-length", or(in.maxLineLength(), DEFAULT_MAX_LINE));
        int maxLineLength = (int) rangeLong("input.max-line-length", maxLine, 64, 1L << 30);
        int decodeThreads = range("input.decode-threads", in.decodeThreads() == null
                ? Math.min(2, Runtime.getRuntime().availableProcessors()) : in.decodeThreads(), 0, 64);
        int maxConnections = range("input.max-connections",
                in.maxConnections() == null ? DEFAULT_MAX_CONNECTIONS : in.maxConnections(), 1, 65_536);

        ConfigFile.AggregateSection ag = f.aggregate() != null ? f.aggregate()
                : new ConfigFile.AggregateSection(null, null, null, null, null);
        Duration flushtime = o.flushtime() != null ? duration("--flushtime", o.flushtime())
                : duration("aggregate.flushtime", or(ag.flushtime(), DEFAULT_FLUSHTIME));
        if (flushtime.toMillis() < 10) {
            throw new ConfigException((o.flushtime() != null ? "--flushtime" : "aggregate.flushtime")
                    + ": must be at least 10ms, got " + Durations.format(flushtime));
        }
        int maxKeys = range("aggregate.max-keys", ag.maxKeys() == null ? DEFAULT_MAX_KEYS : ag.maxKeys(),
                1, 100_000_000);
        int portsPerKey = range("aggregate.src-ports-per-key",
                ag.srcPortsPerKey() == null ? DEFAULT_PORTS_PER_KEY : ag.srcPortsPerKey(), 0, 1_000_000);
        long portsTotal = rangeLong("aggregate.src-ports-total",
                ag.srcPortsTotal() == null ? DEFAULT_PORTS_TOTAL : ag.srcPortsTotal(), 0, 1_000_000_000L);

        List<Config.Output> outputs = outputs(f.outputs(), o, multiForward, notes);

        Duration grace = duration("shutdown-grace", or(f.shutdownGrace(), DEFAULT_GRACE));
        Config.Stats stats = stats(withStatsFlags(f.stats(), o));
        if (o.toolname() != null) {
            if (o.toolname().isBlank()) {
                throw new ConfigException("--toolname: empty");
            }
            stats = new Config.Stats(stats.interval(), o.toolname(), stats.host(), stats.tags(), stats.influx(), true);
        }
        String logFile = o.logFile() != null ? o.logFile() : f.logging() == null ? null : f.logging().file();
        boolean logJson = o.logJson() != null ? o.logJson()
                : f.logging() != null && Boolean.TRUE.equals(f.logging().json());
        Map<String, String> addFields = addFields(f.addFields());
        String level = or(f.logging() == null ? null : f.logging().level(), "info").toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException("logging.level: '" + level + "' is not one of " + LEVELS);
        }
        if (Boolean.TRUE.equals(o.verbose())) {
            level = "debug";
        }
        for (Config.Output out : outputs) {
            if (out.socket().equals(inPath)) {
                throw new ConfigException("outputs." + out.name() + ".socket: same path as the input socket ("
                        + inPath + ")");
            }
        }
        return new Config(
                new Config.Input(inPath, mode, group, allowedUids, transport, ioThreads, maxLineLength, maxConnections,
                        decodeThreads, idleTimeout),
                new Config.Aggregate(flushtime, maxKeys, portsPerKey, portsTotal, keyExtras(ag.key())),
                List.copyOf(outputs), grace, stats, level,
                new Config.Log(logFile == null || logFile.isEmpty() ? null : logFile, logJson), addFields,
                List.copyOf(notes));
    }

    /** aggregate.key: FEVER's three fields, plus any of proto, vlan, in_iface; returns the extras in order. */
    private static List<String> keyExtras(List<String> key) throws ConfigException {
        if (key == null) {
            return List.of();
        }
        if (!key.containsAll(Config.Aggregate.KEY_BASE)) {
            throw new ConfigException("aggregate.key: must contain " + Config.Aggregate.KEY_BASE + ", got " + key);
        }
        List<String> extras = new ArrayList<>();
        for (String k : key) {
            if (Config.Aggregate.KEY_BASE.contains(k)) {
                continue;
            }
            if (!Config.Aggregate.KEY_EXTRAS.contains(k) || extras.contains(k)) {
                throw new ConfigException("aggregate.key: '" + k + "' is not one of " + Config.Aggregate.KEY_EXTRAS
                        + " (or is listed twice)");
            }
            extras.add(k);
        }
        if (key.size() != Config.Aggregate.KEY_BASE.size() + extras.size()) {
            throw new ConfigException("aggregate.key: a field is listed twice: " + key);
        }
        return List.copyOf(extras);
    }

    /** add-fields: names and values as given (strings), in order; names non-empty and unique. */
    private static Map<String, String> addFields(Map<String, String> given) throws ConfigException {
        if (given == null || given.isEmpty()) {
            return Map.of();
        }
        if (given.size() > 31) {
            throw new ConfigException("add-fields: at most 31 fields, got " + given.size());
        }
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new ConfigException("add-fields: empty field name");
            }
            if (e.getValue() == null) {
                throw new ConfigException("add-fields." + e.getKey() + ": needs a value");
            }
            out.put(e.getKey(), e.getValue());
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * The outputs of the file, with FEVER's -o/-t/-T applied to the output named {@code default}
     * (added if missing), except when the file is FEVER's with a multi-forward section: FEVER ignores
     * those flags then, and so does eveflow (noted). {@code aggregates} defaults to true only when there
     * is exactly one output, so aggregates are never copied into several outputs unasked.
     */
    private static List<Config.Output> outputs(Map<String, ConfigFile.OutputSection> file, Overrides o,
                                               boolean multiForward, List<String> notes) throws ConfigException {
        Map<String, ConfigFile.OutputSection> sections = new LinkedHashMap<>();
        if (file == null) {
            sections.put(DEFAULT_OUTPUT_NAME, new ConfigFile.OutputSection(DEFAULT_OUT_SOCKET, null, null,
                    null, null, null, null, null));
        } else {
            sections.putAll(file);
        }
        boolean flagsTouchDefault = o.outSocket() != null || o.fwdEventTypes() != null || o.fwdAllTypes() != null;
        if (flagsTouchDefault && multiForward) {
            notes.add("--out-socket, --fwd-event-types and --fwd-all-types are ignored: the config file has a "
                    + "multi-forward section (as in FEVER)");
        } else if (flagsTouchDefault) {
            ConfigFile.OutputSection d = sections.get(DEFAULT_OUTPUT_NAME);
            if (d == null) {
                d = new ConfigFile.OutputSection(DEFAULT_OUT_SOCKET, null, null, null, null, null, null, null);
            }
            d = new ConfigFile.OutputSection(
                    o.outSocket() != null ? o.outSocket() : d.socket(),
                    o.fwdEventTypes() != null ? o.fwdEventTypes() : d.types(),
                    o.fwdAllTypes() != null ? o.fwdAllTypes() : d.all(),
                    d.aggregates(), d.bufferLines(), d.bufferBytes(), d.reconnectBackoffMax(), d.reconnectRetries());
            sections.put(DEFAULT_OUTPUT_NAME, d);
        }
        long active = sections.values().stream().filter(s -> s == null || s.socket() == null || !s.socket().isEmpty())
                .count();
        List<Config.Output> result = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Map.Entry<String, ConfigFile.OutputSection> e : sections.entrySet()) {
            String name = e.getKey();
            String k = "outputs." + name;
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new ConfigException(k + ": output names use letters, digits, '_', '.', '-' (1-64 chars)");
            }
            ConfigFile.OutputSection s = e.getValue() == null
                    ? new ConfigFile.OutputSection(null, null, null, null, null, null, null, null) : e.getValue();
            if (s.socket() == null) {
                throw new ConfigException(k + ".socket: missing");
            }
            if (s.socket().isEmpty()) {
                continue; // '' = this output is switched off (FEVER's -o '')
            }
            Path socket = socketPath(k + ".socket", s.socket());
            if (!seen.add(socket)) {
                throw new ConfigException(k + ".socket: " + socket + " is used by another output");
            }
            List<String> types = s.types() != null ? s.types()
                    : name.equals(DEFAULT_OUTPUT_NAME) ? DEFAULT_FWD_TYPES : List.of();
            Set<String> typeSet = new LinkedHashSet<>();
            for (String t : types) {
                if (t == null || !t.trim().matches("[A-Za-z0-9_]{1,64}")) {
                    throw new ConfigException(k + ".types: '" + t + "' is not an event type name");
                }
                typeSet.add(t.trim());
            }
            int lines = range(k + ".buffer-lines", s.bufferLines() == null ? DEFAULT_BUFFER_LINES : s.bufferLines(),
                    1, 100_000_000);
            long bytes = rangeLong(k + ".buffer-bytes", size(k + ".buffer-bytes", or(s.bufferBytes(),
                    DEFAULT_BUFFER_BYTES)), 1024, 1L << 40);
            Duration backoff = duration(k + ".reconnect-backoff-max", or(s.reconnectBackoffMax(), DEFAULT_BACKOFF_MAX));
            if (backoff.toMillis() < 10) {
                throw new ConfigException(k + ".reconnect-backoff-max: must be at least 10ms");
            }
            int retries = o.reconnectRetries() != null
                    ? range("--reconnect-retries", o.reconnectRetries(), 0, Integer.MAX_VALUE)
                    : range(k + ".reconnect-retries", s.reconnectRetries() == null ? 0 : s.reconnectRetries(), 0,
                            Integer.MAX_VALUE);
            result.add(new Config.Output(name, socket, Set.copyOf(typeSet), Boolean.TRUE.equals(s.all()),
                    s.aggregates() == null ? active == 1 : s.aggregates(), lines, bytes, backoff, retries));
        }
        if (!result.isEmpty() && result.stream().noneMatch(Config.Output::aggregates)) {
            notes.add("no output has 'aggregates: true': flow events are aggregated and counted, and the aggregates"
                    + " are written nowhere");
        }
        return result;
    }

    /** --stats-interval and --influx-url override the file's stats.interval and stats.influx.url. */
    private static ConfigFile.StatsSection withStatsFlags(ConfigFile.StatsSection s, Overrides o) {
        if (o.statsInterval() == null && o.influxUrl() == null) {
            return s;
        }
        if (s == null) {
            s = new ConfigFile.StatsSection(null, null, null, null, null, null);
        }
        ConfigFile.InfluxSection i = s.influx();
        if (o.influxUrl() != null) {
            i = i == null ? new ConfigFile.InfluxSection(o.influxUrl(), null, null, null, null, null, null, null, null,
                    null, null, null, null)
                    : new ConfigFile.InfluxSection(o.influxUrl(), i.api(), i.org(), i.bucket(), i.token(), i.tokenFile(),
                    i.database(), i.retentionPolicy(), i.username(), i.password(), i.passwordFile(), i.bufferPoints(),
                    i.timeout());
        }
        return new ConfigFile.StatsSection(o.statsInterval() != null ? o.statsInterval() : s.interval(),
                s.measurement(), s.format(), s.host(), s.tags(), i);
    }

    private static Config.Stats stats(ConfigFile.StatsSection s) throws ConfigException {
        if (s == null) {
            s = new ConfigFile.StatsSection(null, null, null, null, null, null);
        }
        Duration interval = duration("stats.interval", or(s.interval(), DEFAULT_STATS_INTERVAL));
        if (interval.toMillis() < 10) {
            throw new ConfigException("stats.interval: must be at least 10ms");
        }
        String measurement = or(s.measurement(), DEFAULT_MEASUREMENT);
        if (!measurement.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new ConfigException("stats.measurement: '" + measurement + "' is not a measurement name");
        }
        if (s.host() != null && s.host().isBlank()) {
            throw new ConfigException("stats.host: empty");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (s.tags() != null) {
            for (Map.Entry<String, String> t : s.tags().entrySet()) {
                String k = t.getKey();
                if (!k.matches("[A-Za-z0-9_.-]{1,64}") || k.equals("host") || k.equals("output")) {
                    throw new ConfigException("stats.tags." + k + ": tag names use letters, digits, '_', '.', '-'"
                            + " ('host' and 'output' are set by eveflow)");
                }
                if (t.getValue() == null || t.getValue().isEmpty()) {
                    throw new ConfigException("stats.tags." + k + ": empty value");
                }
                tags.put(k, t.getValue());
            }
        }
        String format = or(s.format(), measurement.equals("fever") ? "fever" : "eveflow");
        if (!format.equals("fever") && !format.equals("eveflow")) {
            throw new ConfigException("stats.format: '" + format + "' is not fever or eveflow");
        }
        return new Config.Stats(interval, measurement, s.host(), Map.copyOf(tags), influx(s.influx()),
                format.equals("fever"));
    }

    private static Config.Influx influx(ConfigFile.InfluxSection i) throws ConfigException {
        if (i == null || i.url() == null || i.url().isBlank()) {
            return null; // the log sink
        }
        if (!i.url().matches("https?://[^\\s/]+(/.*)?")) {
            throw new ConfigException("stats.influx.url: '" + i.url() + "' is not an http(s) URL");
        }
        Config.InfluxApi api;
        String a = or(i.api(), "v2").toLowerCase(Locale.ROOT);
        if (a.equals("v2")) {
            api = Config.InfluxApi.V2;
        } else if (a.equals("v1")) {
            api = Config.InfluxApi.V1;
        } else {
            throw new ConfigException("stats.influx.api: '" + i.api() + "' is not v2 or v1");
        }
        Secret token = secret("stats.influx.token", i.token(), i.tokenFile());
        Secret password = secret("stats.influx.password", i.password(), i.passwordFile());
        if (api == Config.InfluxApi.V2) {
            if (i.org() == null || i.org().isBlank() || i.bucket() == null || i.bucket().isBlank()) {
                throw new ConfigException("stats.influx: api v2 needs org and bucket");
            }
            if (i.database() != null || i.username() != null || password != null || i.retentionPolicy() != null) {
                throw new ConfigException("stats.influx: database, retention-policy, username and password are for"
                        + " api v1; api v2 takes org, bucket and token");
            }
        } else {
            if (i.database() == null || i.database().isBlank()) {
                throw new ConfigException("stats.influx: api v1 needs database");
            }
            if ((i.username() == null) != (password == null)) {
                throw new ConfigException("stats.influx: api v1 needs both username and password, or neither");
            }
            if (i.org() != null || i.bucket() != null || token != null) {
                throw new ConfigException("stats.influx: org, bucket and token are for api v2; api v1 takes"
                        + " database, retention-policy, username and password");
            }
        }
        int buffer = range("stats.influx.buffer-points", i.bufferPoints() == null ? DEFAULT_STATS_BUFFER
                : i.bufferPoints(), 1, 10_000_000);
        Duration timeout = duration("stats.influx.timeout", or(i.timeout(), "5s"));
        if (timeout.toMillis() < 100) {
            throw new ConfigException("stats.influx.timeout: must be at least 100ms");
        }
        return new Config.Influx(i.url().replaceAll("/+$", ""), api, i.org(), i.bucket(), token, i.database(),
                i.retentionPolicy(), i.username(), password, buffer, timeout);
    }

    /** A secret given inline or in a file (first line, trimmed); never echoed in messages. */
    private static Secret secret(String key, String inline, String file) throws ConfigException {
        if (inline != null && file != null) {
            throw new ConfigException(key + " and " + key + "-file: give one, not both");
        }
        if (inline != null) {
            return inline.isEmpty() ? null : new Secret(inline);
        }
        if (file == null) {
            return null;
        }
        try {
            String v = Files.readString(Path.of(file)).strip();
            if (v.isEmpty()) {
                throw new ConfigException(key + "-file: " + file + " is empty");
            }
            return new Secret(v);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(key + "-file: cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private static Path socketPath(String key, String value) throws ConfigException {
        if (value.isBlank()) {
            throw new ConfigException(key + ": empty path");
        }
        Path p = Path.of(value).toAbsolutePath().normalize();
        if (p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new ConfigException(key + ": socket path " + p + " is too long (Unix sockets allow about 100 bytes)");
        }
        return p;
    }

    /** The group name if it exists on this machine (null when not set). */
    private static String socketGroup(String key, String name) throws ConfigException {
        if (name == null) {
            return null;
        }
        if (name.isBlank()) {
            throw new ConfigException(key + ": empty group name");
        }
        try {
            java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new ConfigException(key + ": no group named '" + name + "' on this machine");
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot look up group '" + name + "': " + e.getMessage());
        }
        return name;
    }

    private static java.util.Set<Integer> uids(String key, List<Integer> uids) throws ConfigException {
        if (uids == null) {
            return java.util.Set.of();
        }
        if (uids.isEmpty()) {
            throw new ConfigException(key + ": an empty list would let nobody in (or, read as 'not set', everybody);"
                    + " list the uids that may connect, or remove the key");
        }
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        for (Integer u : uids) {
            if (u == null || u < 0) {
                throw new ConfigException(key + ": uids are non-negative integers, got " + u);
            }
            out.add(u);
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /**
     * A file mode: a string is octal ("0660", "660"); a YAML integer is the number it is, so the
     * unquoted 0660, which YAML 1.1 reads as octal 432, is 0660, and an unquoted 660 (decimal) is
     * refused as out of range rather than read as octal.
     */
    static int socketMode(String key, com.fasterxml.jackson.databind.JsonNode value) throws ConfigException {
        int mode;
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            mode = value.intValue();
            if (mode < 0 || mode > 0777) {
                throw new ConfigException(key + ": " + value + " is not a file mode; write it as a quoted octal"
                        + " string like \"0660\"");
            }
        } else if (value.isTextual() && value.textValue().matches("0?[0-7]{3}")) {
            mode = Integer.parseInt(value.textValue(), 8);
        } else {
            throw new ConfigException(key + ": " + (value.isTextual() ? "'" + value.textValue() + "'" : value)
                    + " is not an octal mode like \"0660\"");
        }
        return mode;
    }

    private static Config.Transport transport(String value) throws ConfigException {
        try {
            return Config.Transport.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("input.transport: '" + value + "' is not one of auto, epoll, nio");
        }
    }

    private static Duration duration(String key, String value) throws ConfigException {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static long size(String key, String value) throws ConfigException {
        try {
            return Sizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }

    private static int range(String key, int v, int min, int max) throws ConfigException {
        return (int) rangeLong(key, v, min, max);
    }

    private static long rangeLong(String key, long v, long min, long max) throws ConfigException {
        if (v < min || v > max) {
            throw new ConfigException(key + ": " + v + " is out of range (" + min + " to " + max + ")");
        }
        return v;
    }

    private static String or(String v, String dflt) {
        return v == null ? dflt : v;
    }

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

    private static String describe(Exception e) {
        return e.getClass().getSimpleName().replace("Exception", "") + " " + e.getMessage();
    }
}

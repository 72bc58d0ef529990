package org.eveflow.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place where bound values are checked and turned into a {@link Config}: ranges, relations
 * between keys (an open socket mode needs a choice, allowed uids need epoll, outputs and the input
 * need distinct paths, InfluxDB's v1 and v2 settings), the defaults that are derived rather than
 * declared (decode threads, an output's {@code aggregates}, the stats format), secrets read from
 * files and the group looked up. Messages name the key, or the flag that set it. One instance per
 * load, used by one thread.
 */
final class ConfigValidator {
    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");
    private static final String NAME = "[A-Za-z0-9_.-]{1,64}";
    private static final String MEASUREMENT = "[A-Za-z0-9_.-]{1,128}";

    private final ConfigTree tree;
    private final List<String> notes;

    private ConfigValidator(ConfigTree tree) {
        this.tree = tree;
        this.notes = new ArrayList<>(tree.notes());
    }

    /**
     * The path with its symlinks resolved as far as it exists (the file itself, else its directory), so
     * that two spellings of one socket compare equal; at connect time SocketForwarder also refuses a
     * listener that is eveflow itself, whatever the path.
     */
    private static Path resolved(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException noFile) {
            Path dir = p.toAbsolutePath().getParent();
            try {
                return dir == null ? p : dir.toRealPath().resolve(p.getFileName());
            } catch (java.io.IOException noDir) {
                return p.toAbsolutePath().normalize();
            }
        }
    }

    static Config validate(ConfigFile f, ConfigTree tree) throws ConfigException {
        return new ConfigValidator(tree).config(f);
    }

    private Config config(ConfigFile f) throws ConfigException {
        Config.Input input = input(f.input());
        List<Config.Output> outputs = outputs(f.outputs());
        Path in = resolved(input.socket());
        for (Config.Output out : outputs) {
            if (resolved(out.socket()).equals(in)) {
                throw new ConfigException("outputs." + out.name() + ".socket", "same path as the input socket ("
                        + input.socket() + ", symlinks resolved): eveflow would feed itself");
            }
        }
        String level = f.logging().level().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new ConfigException("logging.level", "'" + level + "' is not one of " + LEVELS);
        }
        String logFile = f.logging().file();
        if (logFile != null && !logFile.isEmpty() && java.nio.file.Files.isDirectory(Path.of(logFile))) {
            throw new ConfigException("logging.file", logFile + " is a directory; name a file in it");
        }
        return new Config(input, aggregate(f.aggregate()), List.copyOf(outputs),
                duration("shutdown-grace", f.shutdownGrace(), 0), stats(f.stats()), level,
                new Config.Log(logFile == null || logFile.isEmpty() ? null : logFile, f.logging().json()),
                addFields(f.addFields()), List.copyOf(notes));
    }

    private Config.Input input(ConfigFile.Input in) throws ConfigException {
        Path socket = socketPath("input.socket", in.socket());
        int mode = in.socketMode();
        Set<Integer> allowedUids = uids("input.allowed-uids", in.allowedUids());
        if ((mode & 02) != 0 && allowedUids.isEmpty() && !in.allowOtherUsers()) {
            throw new ConfigException("input.socket-mode", String.format("%04o", mode) + " lets every local"
                    + " user connect and inject events; set input.allow-other-users: true if that is what you want, or"
                    + " restrict peers with input.allowed-uids, or use a mode without write for others (0660)");
        }
        Config.Transport transport;
        try {
            transport = Config.Transport.valueOf(in.transport().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("input.transport", "'" + in.transport() + "' is not one of auto, epoll, nio");
        }
        if (transport == Config.Transport.NIO && !allowedUids.isEmpty()) {
            throw new ConfigException("input.allowed-uids", "needs the epoll transport (peer credentials), "
                    + "but input.transport is nio");
        }
        int decodeThreads = in.decodeThreads() == null ? Math.min(2, Runtime.getRuntime().availableProcessors())
                : in.decodeThreads();
        return new Config.Input(socket, mode, socketGroup("input.socket-group", in.socketGroup()), allowedUids,
                transport, range("input.io-threads", in.ioThreads(), 1, 64),
                (int) range("input.max-line-length", in.maxLineLength(), 64, 1L << 30),
                range("input.max-connections", in.maxConnections(), 1, 65_536),
                range("input.decode-threads", decodeThreads, 0, 64),
                duration("input.idle-timeout", in.idleTimeout(), 0));
    }

    /** max-keys and src-ports-total {@code auto}: derived from this JVM's heap ({@link HeapBudget}), noted. */
    private Config.Aggregate aggregate(ConfigFile.Aggregate ag) throws ConfigException {
        long heap = Runtime.getRuntime().maxMemory();
        int maxKeys = ag.maxKeys() == null ? HeapBudget.derivedMaxKeys(heap)
                : (int) range("aggregate.max-keys", ag.maxKeys(), 1, 100_000_000);
        long portsTotal = ag.srcPortsTotal() == null ? HeapBudget.derivedPortsTotal(maxKeys)
                : range("aggregate.src-ports-total", ag.srcPortsTotal(), 0, 1_000_000_000L);
        if (ag.maxKeys() == null || ag.srcPortsTotal() == null) {
            notes.add(HeapBudget.derivation(maxKeys, portsTotal, heap));
        }
        return new Config.Aggregate(duration("aggregate.flushtime", ag.flushtime(), 10), maxKeys,
                range("aggregate.src-ports-per-key", ag.srcPortsPerKey(), 0, 1_000_000), portsTotal,
                keyExtras(ag.key()));
    }

    /** aggregate.key: FEVER's three fields, plus any of proto, vlan, in_iface; returns the extras in order. */
    private List<String> keyExtras(List<String> key) throws ConfigException {
        String k = "aggregate.key";
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
        return List.copyOf(extras);
    }

    /**
     * The outputs in the file's order; one whose socket is '' is switched off (FEVER's -o ''). {@code
     * aggregates} defaults to true only when exactly one output is on, so aggregates are never copied
     * into several outputs unasked.
     */
    private List<Config.Output> outputs(Map<String, ConfigFile.Output> sections) throws ConfigException {
        long active = sections.values().stream().filter(s -> s.socket() == null || !s.socket().isEmpty()).count();
        List<Config.Output> result = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Map.Entry<String, ConfigFile.Output> e : sections.entrySet()) {
            String name = e.getKey();
            String k = "outputs." + name;
            if (!name.matches(NAME)) {
                throw new ConfigException(k, "output names use letters, digits, '_', '.', '-' (1-64 chars)");
            }
            ConfigFile.Output s = e.getValue();
            if (s.socket() == null) {
                throw new ConfigException(k + ".socket", "missing");
            }
            if (s.socket().isEmpty()) {
                continue;
            }
            Path socket = socketPath(k + ".socket", s.socket());
            if (!seen.add(socket)) {
                throw new ConfigException(k + ".socket", socket + " is used by another output");
            }
            Set<String> types = new LinkedHashSet<>();
            for (String t : s.types()) {
                if (t == null || !t.trim().matches("[A-Za-z0-9_]{1,64}")) {
                    throw new ConfigException(k + ".types", "'" + t + "' is not an event type name");
                }
                types.add(t.trim());
            }
            long high = range(k + ".write-buffer-high", s.writeBufferHigh(), 1024, 16L << 20);
            long low = range(k + ".write-buffer-low", s.writeBufferLow(), 0, 16L << 20);
            if (low > high) {
                throw new ConfigException(k + ".write-buffer-low", low + " is above " + k + ".write-buffer-high" + " (" + high + ")");
            }
            result.add(new Config.Output(name, socket, Set.copyOf(types), s.all(),
                    s.aggregates() == null ? active == 1 : s.aggregates(),
                    range(k + ".buffer-lines", s.bufferLines(), 1, 100_000_000),
                    range(k + ".buffer-bytes", s.bufferBytes(), 1024, 1L << 40), (int) low, (int) high,
                    duration(k + ".reconnect-backoff-max", s.reconnectBackoffMax(), 10),
                    range(k + ".reconnect-retries", s.reconnectRetries(), 0, Integer.MAX_VALUE),
                    s.listenerUids() == null || s.listenerUids().isEmpty() ? Set.of() // none besides its own and root
                            : uids(k + ".listener-uids", s.listenerUids())));
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

    private Config.Stats stats(ConfigFile.Stats s) throws ConfigException {
        Duration interval = duration("stats.interval", s.interval(), 10);
        String measurement = s.measurement();
        if (tree.origin("stats.measurement") != null) { // FEVER's --toolname: any non-empty name, as FEVER takes it
            if (measurement.isBlank()) {
                throw new ConfigException("stats.measurement", "empty");
            }
        } else if (!measurement.matches(MEASUREMENT)) {
            throw new ConfigException("stats.measurement", "'" + measurement + "' is not a measurement name");
        }
        if (s.host() != null && s.host().isBlank()) {
            throw new ConfigException("stats.host", "empty");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (s.tags() != null) {
            for (Map.Entry<String, String> t : s.tags().entrySet()) {
                String k = t.getKey();
                if (!k.matches(NAME) || k.equals("host") || k.equals("output") || k.equals("thread")) {
                    throw new ConfigException("stats.tags." + k, "tag names use letters, digits, '_', '.', '-'"
                            + " ('host', 'output' and 'thread' are set by eveflow)");
                }
                if (t.getValue() == null || t.getValue().isEmpty()) {
                    throw new ConfigException("stats.tags." + k, "empty value");
                }
                tags.put(k, t.getValue());
            }
        }
        String format = s.format() != null ? s.format() : measurement.equals("fever") ? "fever" : "eveflow";
        if (!format.equals("fever") && !format.equals("eveflow")) {
            throw new ConfigException("stats.format", "'" + format + "' is not fever or eveflow");
        }
        return new Config.Stats(interval, measurement, s.host(), Map.copyOf(tags), influx(s.influx()),
                format.equals("fever"), suricata(s.suricata()), prometheus(s.prometheus()));
    }

    private Config.SuricataStats suricata(ConfigFile.SuricataStats s) throws ConfigException {
        if (!s.measurement().matches(MEASUREMENT)) {
            throw new ConfigException("stats.suricata.measurement", "'" + s.measurement()
                    + "' is not a measurement name");
        }
        if (s.delimiter() == null || !s.delimiter().matches("[\\x21-\\x7e]{1,8}")) {
            throw new ConfigException("stats.suricata.delimiter", "'" + s.delimiter()
                    + "' is not 1 to 8 printable characters");
        }
        return new Config.SuricataStats(s.enabled(), s.measurement(), s.delimiter(),
                (int) range("stats.suricata.max-fields", s.maxFields(), 1, 100_000));
    }

    /** stats.prometheus: off without listen; else an IP literal and a port ({@link ListenAddress}). */
    private Config.Prometheus prometheus(ConfigFile.Prometheus p) throws ConfigException {
        if (p == null || p.listen() == null || p.listen().isBlank()) {
            return null;
        }
        return new Config.Prometheus(ListenAddress.parse("stats.prometheus.listen", p.listen()),
                (int) range("stats.prometheus.max-series", p.maxSeries(), 1, 10_000_000));
    }

    private Config.Influx influx(ConfigFile.Influx i) throws ConfigException {
        if (i == null || i.url() == null || i.url().isBlank()) {
            return null; // the log sink
        }
        if (!i.url().matches("https?://[^\\s/]+(/.*)?")) {
            throw new ConfigException("stats.influx.url", "'" + Secret.redactUrl(i.url())
                    + "' is not an http(s) URL");
        }
        Config.InfluxApi api;
        switch (i.api().toLowerCase(Locale.ROOT)) {
            case "v2" -> api = Config.InfluxApi.V2;
            case "v1" -> api = Config.InfluxApi.V1;
            default -> throw new ConfigException("stats.influx.api", "'" + i.api() + "' is not v2 or v1");
        }
        Secret token = secret("stats.influx.token", i.token(), i.tokenFile());
        Secret password = secret("stats.influx.password", i.password(), i.passwordFile());
        if (api == Config.InfluxApi.V2) {
            if (i.org() == null || i.org().isBlank() || i.bucket() == null || i.bucket().isBlank()) {
                throw new ConfigException("stats.influx", "api v2 needs org and bucket");
            }
            if (i.database() != null || i.username() != null || password != null || i.retentionPolicy() != null) {
                throw new ConfigException("stats.influx", "database, retention-policy, username and password are for"
                        + " api v1; api v2 takes org, bucket and token");
            }
        } else {
            if (i.database() == null || i.database().isBlank()) {
                throw new ConfigException("stats.influx", "api v1 needs database");
            }
            if ((i.username() == null) != (password == null)) {
                throw new ConfigException("stats.influx", "api v1 needs both username and password, or neither");
            }
            if (i.org() != null || i.bucket() != null || token != null) {
                throw new ConfigException("stats.influx", "org, bucket and token are for api v2; api v1 takes"
                        + " database, retention-policy, username and password");
            }
        }
        return new Config.Influx(i.url().replaceAll("/+$", ""), api, i.org(), i.bucket(), token, i.database(),
                i.retentionPolicy(), i.username(), password,
                range("stats.influx.buffer-points", i.bufferPoints(), 1, 10_000_000),
                duration("stats.influx.timeout", i.timeout(), 100));
    }

    /** add-fields: names and values as given (strings), in order; names non-empty, at most 31. */
    private static Map<String, String> addFields(Map<String, String> given) throws ConfigException {
        if (given == null || given.isEmpty()) {
            return Map.of();
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
        return Collections.unmodifiableMap(out);
    }

    /** A secret given inline or in a file (first line, trimmed); never echoed in messages. */
    private static Secret secret(String key, String inline, String file) throws ConfigException {
        if (inline != null && file != null) {
            throw new ConfigException(key, "give one of " + key + " and " + key + "-file, not both");
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
                throw new ConfigException(key + "-file", file + " is empty");
            }
            return new Secret(v);
        } catch (IOException | SecurityException e) {
            throw new ConfigException(key + "-file", "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    private Path socketPath(String dottedKey, String value) throws ConfigException {
        if (value.isBlank()) {
            throw new ConfigException(dottedKey, "empty path");
        }
        Path p = Path.of(value).toAbsolutePath().normalize();
        if (p.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new ConfigException(dottedKey, "socket path " + p
                    + " is too long (Unix sockets allow about 100 bytes)");
        }
        return p;
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
            java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new ConfigException(key, "no group named '" + name + "' on this machine");
        } catch (IOException e) {
            throw new ConfigException(key, "cannot look up group '" + name + "': " + e.getMessage());
        }
        return name;
    }

    private static Set<Integer> uids(String key, List<Integer> uids) throws ConfigException {
        if (uids == null) {
            return Set.of();
        }
        if (uids.isEmpty()) {
            throw new ConfigException(key, "an empty list would let nobody in (or, read as 'not set', everybody);"
                    + " list the uids that may connect, or remove the key");
        }
        Set<Integer> out = new TreeSet<>();
        for (Integer u : uids) {
            if (u == null || u < 0) {
                throw new ConfigException(key, "uids are non-negative integers, got " + u);
            }
            out.add(u);
        }
        return Collections.unmodifiableSet(out);
    }

    /** {@code d}, which must be at least {@code minMillis}. */
    private Duration duration(String dottedKey, Duration d, long minMillis) throws ConfigException {
        if (d.toMillis() < minMillis) {
            throw new ConfigException(dottedKey, "must be at least " + minMillis + "ms, got "
                    + Durations.format(d));
        }
        return d;
    }

    private int range(String dottedKey, int v, int min, int max) throws ConfigException {
        return (int) range(dottedKey, (long) v, min, max);
    }

    private long range(String dottedKey, long v, long min, long max) throws ConfigException {
        if (v < min || v > max) {
            throw new ConfigException(dottedKey, v + " is out of range (" + min + " to " + max + ")");
        }
        return v;
    }
}

package org.eveflow.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The validated configuration: built-in defaults, overridden by the file, overridden by flags, read
 * by the keys' declarations ({@link Keys}) and completed by {@link ConfigValidator} (a derived default
 * is a value like any other). Each section is a view of its keys ({@link Input}, {@link Output},
 * ...): {@code get(Keys.X)} reads any key, the named accessors the common ones. {@code notes} are
 * what loading found worth an info line, logged once logging is set up. Immutable, thread-safe.
 */
public final class Config {
    /** Outputs that may be on at once (the outputs a line goes to are a bit set in a long). */
    public static final int MAX_OUTPUTS = 64;

    private final Settings settings;
    private final List<Output> outputs;
    private final List<String> notes;
    /** The sections' views, made once. */
    private final Input input;
    private final Aggregate aggregate;
    private final Stats stats;

    Config(Settings settings, List<Output> outputs, List<String> notes) {
        this.settings = settings;
        this.outputs = List.copyOf(outputs);
        this.notes = List.copyOf(notes);
        this.input = new Input(section("input."));
        this.aggregate = new Aggregate(section("aggregate."));
        this.stats = new Stats(section("stats."));
    }

    /** The value of a key of the configuration as a whole. */
    public <T> T get(Key<T> key) { return settings.get(key); }

    /** Every value that is not an output's. */
    public Settings settings() { return settings; }

    public Input input() { return input; }

    public Aggregate aggregate() { return aggregate; }

    public List<Output> outputs() { return outputs; }

    public Duration shutdownGrace() { return settings.get(Keys.SHUTDOWN_GRACE); }

    public Stats stats() { return stats; }

    public String logLevel() { return settings.get(Keys.LOG_LEVEL); }

    public Log log() { return new Log(settings.get(Keys.LOG_FILE), settings.get(Keys.LOG_JSON)); }

    /** add-fields in order; empty when none. */
    public Map<String, String> addFields() {
        Map<String, String> fields = settings.get(Keys.ADD_FIELDS);
        return fields == null ? Map.of() : fields;
    }

    public List<String> notes() { return notes; }

    /** This configuration with other outputs. */
    public Config withOutputs(List<Output> next) { return new Config(settings, next, notes); }

    /** This configuration with other global values and notes. */
    public Config with(Settings next, List<String> nextNotes) { return new Config(next, outputs, nextNotes); }

    private Settings section(String prefix) {
        return settings.only(k -> k.name().startsWith(prefix));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && settings.equals(c.settings) && outputs.equals(c.outputs) && notes.equals(c.notes);
    }

    @Override
    public int hashCode() { return Objects.hash(settings, outputs, notes); }

    @Override
    public String toString() { return "Config" + settings + " outputs " + outputs; }

    /** Where logs go: {@code file} null for stderr; {@code json} one JSON object per line. */
    public record Log(String file, boolean json) {
    }

    public enum Transport { AUTO, EPOLL, NIO }

    /** The input socket and its limits (section {@code input}). */
    public record Input(Settings settings) {
        public <T> T get(Key<T> key) { return settings.get(key); }

        public Path socket() { return get(Keys.INPUT_SOCKET); }

        public int socketMode() { return get(Keys.SOCKET_MODE); }

        /** The group given to the socket file, or null (eveflow's own group). */
        public String socketGroup() { return get(Keys.SOCKET_GROUP); }

        /** Peer uids allowed to connect; empty for anyone the file mode lets in. */
        public Set<Integer> allowedUids() {
            Set<Integer> uids = get(Keys.ALLOWED_UIDS);
            return uids == null ? Set.of() : uids;
        }

        public Transport transport() { return Transport.valueOf(get(Keys.TRANSPORT).toUpperCase(Locale.ROOT)); }

        public int ioThreads() { return get(Keys.IO_THREADS); }

        public int maxLineLength() { return get(Keys.MAX_LINE_LENGTH); }

        public int maxConnections() { return get(Keys.MAX_CONNECTIONS); }

        public int decodeThreads() { return get(Keys.DECODE_THREADS); }

        public Duration idleTimeout() { return get(Keys.IDLE_TIMEOUT); }

        /** Whether any local user may connect (the mode lets "other" write, and no uid list narrows it). */
        public boolean openToOtherUsers() { return (socketMode() & 02) != 0 && allowedUids().isEmpty(); }
    }

    /**
     * Flow aggregation (section {@code aggregate}): the flush interval and the bounds of the table.
     * {@code keyExtras}: what the key has beyond FEVER's (src_ip, dest_ip, dest_port), in order.
     */
    public record Aggregate(Settings settings) {
        public static final List<String> KEY_BASE = List.of("src_ip", "dest_ip", "dest_port");
        public static final List<String> KEY_EXTRAS = List.of("proto", "vlan", "in_iface");

        public <T> T get(Key<T> key) { return settings.get(key); }

        public Duration flushtime() { return get(Keys.FLUSHTIME); }

        /** max-keys; {@code auto} is a number once the configuration is fitted to the JVM (the daemon's JvmFit). */
        public int maxKeys() { return fitted(get(Keys.MAX_KEYS), Keys.MAX_KEYS).intValue(); }

        public int srcPortsPerKey() { return get(Keys.SRC_PORTS_PER_KEY); }

        /** src-ports-total; {@code auto} is a number once the configuration is fitted to the JVM. */
        public long srcPortsTotal() { return fitted(get(Keys.SRC_PORTS_TOTAL), Keys.SRC_PORTS_TOTAL); }

        private static Long fitted(Long value, Key<Long> key) {
            if (value == null) {
                throw new IllegalStateException(key.name() + " is auto until the configuration is fitted to the JVM");
            }
            return value;
        }

        /** The key's fields beyond KEY_BASE, in order; empty for FEVER's key. */
        public List<String> keyExtras() {
            return get(Keys.AGGREGATE_KEY).stream().filter(f -> !KEY_BASE.contains(f)).toList();
        }
    }

    /**
     * One outgoing Unix socket (section {@code outputs.NAME}): its type filter, bounded buffer, the
     * connection's write-buffer water marks ({@code writeBufferLow} at most {@code writeBufferHigh})
     * and its reconnects.
     */
    public static final class Output {
        private final String name;
        private final Settings settings;
        /** Read per event ({@link #forwards}): kept in fields rather than looked up. */
        private final boolean all;
        private final Set<String> types;

        public Output(String name, Settings settings) {
            this.name = name;
            this.settings = settings;
            this.all = Boolean.TRUE.equals(settings.get(Keys.ALL));
            Set<String> t = settings.get(Keys.TYPES);
            this.types = t == null ? Set.of() : t;
        }

        public String name() { return name; }

        public Settings settings() { return settings; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Output out && name.equals(out.name) && settings.equals(out.settings);
        }

        @Override
        public int hashCode() { return name.hashCode() * 31 + settings.hashCode(); }

        @Override
        public String toString() { return "Output[" + name + " " + settings + "]"; }

        public <T> T get(Key<T> key) { return settings.get(key); }

        /** This output with {@code key} set to {@code value}. */
        public <T> Output with(Key<T> key, T value) { return new Output(name, settings.with(key, value)); }

        public Path socket() { return get(Keys.OUT_SOCKET); }

        public Set<String> types() { return types; }

        public boolean all() { return all; }

        public boolean aggregates() { return get(Keys.AGGREGATES); }

        public int bufferLines() { return get(Keys.BUFFER_LINES); }

        public long bufferBytes() { return get(Keys.BUFFER_BYTES); }

        public int writeBufferLow() { return get(Keys.WRITE_BUFFER_LOW); }

        public int writeBufferHigh() { return get(Keys.WRITE_BUFFER_HIGH); }

        public Duration reconnectBackoffMax() { return get(Keys.RECONNECT_BACKOFF_MAX); }

        public int reconnectRetries() { return get(Keys.RECONNECT_RETRIES); }

        /** Uids besides eveflow's own and root that may be the reader. */
        public Set<Integer> listenerUids() { return get(Keys.LISTENER_UIDS); }

        /** Whether the raw line of an event of this type goes to this output. */
        public boolean forwards(String eventType) { return all || types.contains(eventType); }

        /** What a reload takes from {@code next}: the keys a reload applies ({@link Key.Apply#RELOAD}); the rest stays. */
        public Output reloadedWith(Output next) {
            return new Output(name, settings.takeFrom(next.settings, k -> k.apply() == Key.Apply.RELOAD));
        }

        /** The keys that differ in {@code next} and that a reload does not take (they need a restart). */
        public List<String> restartKeys(Output next) {
            return settings.differing(next.settings).stream().filter(k -> k.apply() == Key.Apply.RESTART)
                    .map(Key::leaf).toList();
        }
    }

    /**
     * Stats reporting (section {@code stats}): every interval to InfluxDB ({@code influx} non-null) or
     * else to the log; {@code feverFormat}: InfluxDB points in FEVER's shape. {@code influx},
     * {@code prometheus}: null when off.
     */
    public record Stats(Settings settings) {
        public <T> T get(Key<T> key) { return settings.get(key); }

        public Duration interval() { return get(Keys.STATS_INTERVAL); }

        public String measurement() { return get(Keys.MEASUREMENT); }

        /** The host tag, or null: this machine's name. */
        public String host() { return get(Keys.HOST); }

        public Map<String, String> tags() { return get(Keys.TAGS); }

        public boolean feverFormat() { return "fever".equals(get(Keys.FORMAT)); }

        public Influx influx() {
            String url = get(Keys.INFLUX_URL);
            return url == null || url.isBlank() ? null : new Influx(part("stats.influx."));
        }

        public SuricataStats suricata() { return new SuricataStats(part("stats.suricata.")); }

        public Prometheus prometheus() {
            return get(Keys.PROMETHEUS_LISTEN) == null ? null : new Prometheus(part("stats.prometheus."));
        }

        /** Whether Suricata's stats records are read: switched on, and InfluxDB or Prometheus configured. */
        public boolean suricataPoints() { return suricata().enabled() && (influx() != null || prometheus() != null); }

        private Settings part(String prefix) {
            return settings.only(k -> k.name().startsWith(prefix));
        }
    }

    /** The scrape endpoint: the address it listens on (an IP literal) and the most Suricata series it serves. */
    public record Prometheus(Settings settings) {
        public InetSocketAddress listen() { return settings.get(Keys.PROMETHEUS_LISTEN); }

        public int maxSeries() { return settings.get(Keys.PROMETHEUS_MAX_SERIES); }
    }

    /**
     * Suricata's own stats records as InfluxDB points shaped as Telegraf's {@code inputs.suricata}
     * writes them: nested names joined with {@code delimiter}, at most {@code maxFields} fields a point.
     */
    public record SuricataStats(Settings settings) {
        public boolean enabled() { return settings.get(Keys.SURICATA_ENABLED); }

        public String measurement() { return settings.get(Keys.SURICATA_MEASUREMENT); }

        public String delimiter() { return settings.get(Keys.SURICATA_DELIMITER); }

        public int maxFields() { return settings.get(Keys.SURICATA_MAX_FIELDS); }
    }

    public enum InfluxApi { V2, V1 }

    /**
     * An InfluxDB (or compatible) target. API v2 writes to /api/v2/write with org, bucket and token;
     * API v1 rewrites the call to /write with database, retention policy and Basic auth.
     */
    public record Influx(Settings settings) {
        public String url() { return settings.get(Keys.INFLUX_URL); }

        public InfluxApi api() { return InfluxApi.valueOf(settings.get(Keys.INFLUX_API).toUpperCase(Locale.ROOT)); }

        public String org() { return settings.get(Keys.INFLUX_ORG); }

        public String bucket() { return settings.get(Keys.INFLUX_BUCKET); }

        public Secret token() { return settings.get(Keys.INFLUX_TOKEN); }

        public String database() { return settings.get(Keys.INFLUX_DATABASE); }

        public String retentionPolicy() { return settings.get(Keys.INFLUX_RETENTION_POLICY); }

        public String username() { return settings.get(Keys.INFLUX_USERNAME); }

        public Secret password() { return settings.get(Keys.INFLUX_PASSWORD); }

        public int bufferPoints() { return settings.get(Keys.INFLUX_BUFFER_POINTS); }

        public Duration timeout() { return settings.get(Keys.INFLUX_TIMEOUT); }

        /** Where points go, for logs and check-config; never includes a secret. */
        public String describe() {
            return redactedUrl() + " (api " + (api() == InfluxApi.V1 ? "v1, database " + database() : "v2, org " + org()
                    + ", bucket " + bucket()) + ")";
        }

        /** The URL with user info and secret query values (token, password, u, p, ...) replaced by ***. */
        public String redactedUrl() { return Secret.redactUrl(url()); }
    }
}

package org.eveflow.config;

import static org.eveflow.config.Key.Apply.RELOAD;
import static org.eveflow.config.Key.Apply.RESTART;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eveflow.config.Flag.Target;
import org.eveflow.config.Flag.Value;

/**
 * Every configuration key, declared once, in the order of the shipped file (conf/eveflow.yaml, whose
 * values a test holds to these defaults): what it takes, its default, whether a reload applies it,
 * the flag that sets it. The binder reads keys by these declarations, the validator completes them,
 * the reload plan compares them, the help and docs/operations.md's table are written from them.
 * Adding a key: declare it here and read it where it is used ({@code output.get(Keys.X)}).
 * Immutable, thread-safe.
 */
public final class Keys {
    private Keys() {
    }

    private static final String NAME = "[A-Za-z0-9_.-]{1,128}";

    // ---- input ----
    public static final Key<Path> INPUT_SOCKET = Key.of("input.socket", KeyType.socketPath(false), "/tmp/suri.sock",
            RESTART, "Unix socket Suricata's eve-log writes into")
            .flag(Flag.of("--in-socket,-i", "PATH", Value.TEXT, Target.KEY, "input socket Suricata writes to"));
    public static final Key<Integer> SOCKET_MODE = Key.of("input.socket-mode", KeyType.mode(), "\"0660\"", RESTART,
            "permissions of the socket file");
    public static final Key<Boolean> ALLOW_OTHER_USERS = Key.of("input.allow-other-users", KeyType.bool(), "false",
            RESTART, "allow a socket-mode with write for others");
    public static final Key<String> SOCKET_GROUP = Key.unset("input.socket-group", KeyType.text("a group name"),
            "eveflow's own group", RESTART, "group of the socket file");
    public static final Key<Set<Integer>> ALLOWED_UIDS = Key.unset("input.allowed-uids", KeyType.uids(false),
            "anyone the file mode lets in", RESTART, "peer uids allowed to connect (epoll)");
    public static final Key<String> TRANSPORT = Key.of("input.transport", KeyType.choice("auto", "epoll", "nio"),
            "auto", RESTART, "Netty transport");
    public static final Key<Integer> IO_THREADS = Key.of("input.io-threads", KeyType.count(1, 64), "1", RESTART,
            "threads that read and frame input");
    public static final Key<Integer> MAX_LINE_LENGTH = Key.of("input.max-line-length", KeyType.intSize(64, 1L << 30), "16MiB", RESTART, "longest accepted line; longer ones are discarded and counted");
    public static final Key<Integer> MAX_CONNECTIONS = Key.of("input.max-connections", KeyType.count(1, 65_536), "4",
            RESTART, "simultaneous input connections");
    public static final Key<Integer> DECODE_THREADS = Key.unset("input.decode-threads", KeyType.count(0, 64),
            "the number of cores, at most 2", RESTART, "threads that decode and aggregate (0: the reading thread)");
    public static final Key<Duration> IDLE_TIMEOUT = Key.of("input.idle-timeout", KeyType.duration(0), "60s", RESTART,
            "silence after which a new connection may take a connection's slot");

    // ---- aggregate ----
    public static final Key<Duration> FLUSHTIME = Key.of("aggregate.flushtime", KeyType.duration(10), "1m", RELOAD,
            "flush interval of the aggregates")
            .flag(Flag.of("--flushtime,-f", "DURATION", Value.TEXT, Target.KEY,
                    "aggregation flush interval, Go syntax: 500ms, 10s, 1m0s"));
    public static final Key<Long> MAX_KEYS = Key.of("aggregate.max-keys", KeyType.autoCount(1, 100_000_000), "auto",
            RESTART, "keys per flush window (auto: from the heap)");
    public static final Key<Integer> SRC_PORTS_PER_KEY = Key.of("aggregate.src-ports-per-key",
            KeyType.count(0, 1_000_000), "100", RESTART, "source ports listed per aggregate");
    public static final Key<Long> SRC_PORTS_TOTAL = Key.of("aggregate.src-ports-total",
            KeyType.autoCount(0, 1_000_000_000L), "auto", RESTART, "source ports listed per window (auto: 2 x max-keys)");
    public static final Key<List<String>> AGGREGATE_KEY = Key.of("aggregate.key",
            KeyType.textList("src_ip, dest_ip, dest_port, and any of proto, vlan, in_iface"),
            "[src_ip, dest_ip, dest_port]", RESTART, "the fields of the aggregation key");

    // ---- outputs.NAME ----
    public static final Key<Path> OUT_SOCKET = Key.of(Key.OUTPUT + "socket", KeyType.socketPath(true),
            "/tmp/suri-forward.sock", RESTART, "the reader's Unix socket ('' switches the output off); the default"
                    + " is the output default's, every other output names its own")
            .flag(Flag.of("--out-socket,-o", "PATH", Value.TEXT, Target.DEFAULT_OUTPUT, "output socket ('' = no output)"));
    public static final Key<Set<String>> TYPES = Key.of(Key.OUTPUT + "types", KeyType.eventTypes(), "[alert, stats]",
            RELOAD, "event types forwarded raw; the default is the output default's, [] for the others")
            .flag(Flag.of("--fwd-event-types,-t", "TYPES", Value.LIST, Target.DEFAULT_OUTPUT, "event types forwarded raw"));
    public static final Key<Boolean> ALL = Key.of(Key.OUTPUT + "all", KeyType.bool(), "false", RELOAD,
            "forward every event type raw")
            .flag(Flag.of("--fwd-all-types,-T", null, Value.BOOLEAN, Target.DEFAULT_OUTPUT,
                    "forward every event type raw (flow events are still aggregated)"));
    public static final Key<Boolean> AGGREGATES = Key.unset(Key.OUTPUT + "aggregates", KeyType.bool(),
            "true when exactly one output is on", RELOAD, "whether flow aggregates go to this output");
    public static final Key<Integer> BUFFER_LINES = Key.of(Key.OUTPUT + "buffer-lines", KeyType.count(1, 100_000_000),
            "100000", RESTART, "lines buffered while the reader is slow or absent");
    public static final Key<Long> BUFFER_BYTES = Key.of(Key.OUTPUT + "buffer-bytes", KeyType.size(1024, 1L << 40),
            "64MiB", RESTART, "bytes buffered (off-heap) while the reader is slow or absent");
    public static final Key<Integer> WRITE_BUFFER_LOW = Key.of(Key.OUTPUT + "write-buffer-low",
            KeyType.intSize(0, 16L << 20), "32KiB", RESTART, "the connection's low water mark");
    public static final Key<Integer> WRITE_BUFFER_HIGH = Key.of(Key.OUTPUT + "write-buffer-high",
            KeyType.intSize(1024, 16L << 20), "64KiB", RESTART, "the connection's high water mark");
    public static final Key<Duration> RECONNECT_BACKOFF_MIN = Key.of(Key.OUTPUT + "reconnect-backoff-min",
            KeyType.duration(1), "50ms", RESTART, "first wait before connecting again (then doubled)");
    public static final Key<Duration> RECONNECT_BACKOFF_MAX = Key.of(Key.OUTPUT + "reconnect-backoff-max",
            KeyType.duration(10), "5s", RESTART, "longest wait between reconnect attempts");
    public static final Key<Integer> RECONNECT_RETRIES = Key.of(Key.OUTPUT + "reconnect-retries",
            KeyType.count(0, Integer.MAX_VALUE), "0", RESTART,
            "after N x 10s of failed connects the output is disabled and eveflow exits 1; 0: forever")
            .flag(Flag.of("--reconnect-retries", "N", Value.NUMBER, Target.EVERY_OUTPUT,
                    "an output that cannot connect for N x 10 s without a break is disabled and eveflow "
                            + "exits 1 (FEVER's meaning); 0 = retry forever"));
    public static final Key<Set<Integer>> LISTENER_UIDS = Key.of(Key.OUTPUT + "listener-uids", KeyType.uids(true),
            "[]", RELOAD, "uids besides eveflow's own and root that may be the reader");

    public static final Key<Duration> SHUTDOWN_GRACE = Key.of("shutdown-grace", KeyType.duration(0), "10s", RELOAD,
            "time to read, flush and write out at a stop");

    // ---- stats ----
    public static final Key<Duration> STATS_INTERVAL = Key.of("stats.interval", KeyType.duration(10), "10s", RELOAD,
            "how often the counters are reported")
            .flag(Flag.of("--stats-interval", "DURATION", Value.TEXT, Target.KEY, "how often counters are reported"));
    public static final Key<String> MEASUREMENT = Key.of("stats.measurement", KeyType.text("a measurement name"),
            "eveflow", RELOAD, "InfluxDB measurement")
            .flag(Flag.of("--toolname", "NAME", Value.TEXT, Target.FEVER_MEASUREMENT,
                    "measurement name of the stats, in FEVER's format (FEVER's flag)"));
    public static final Key<String> FORMAT = Key.unset("stats.format", KeyType.choice("eveflow", "fever"),
            "fever when the measurement is fever or set by --toolname, else eveflow", RELOAD,
            "eveflow's counters, or FEVER's points");
    public static final Key<String> HOST = Key.unset("stats.host", KeyType.text("a host name"),
            "this machine's name", RELOAD, "value of the host tag");
    public static final Key<Map<String, String>> TAGS = Key.of("stats.tags", KeyType.textMap("a section of tags"),
            "{}", RELOAD, "extra static tags on every point");
    public static final Key<Boolean> SURICATA_ENABLED = Key.of("stats.suricata.enabled", KeyType.bool(), "true",
            RELOAD, "Suricata's stats records as points and series");
    public static final Key<String> SURICATA_MEASUREMENT = Key.of("stats.suricata.measurement",
            KeyType.matching(NAME, "a measurement name"), "suricata", RELOAD, "their InfluxDB measurement");
    public static final Key<String> SURICATA_DELIMITER = Key.of("stats.suricata.delimiter",
            KeyType.matching("[\\x21-\\x7e]{1,8}", "1 to 8 printable characters"), "\"_\"", RELOAD,
            "joins nested names");
    public static final Key<Integer> SURICATA_MAX_FIELDS = Key.of("stats.suricata.max-fields",
            KeyType.count(1, 100_000), "2000", RELOAD, "fields per point at most");
    public static final Key<String> INFLUX_URL = Key.of("stats.influx.url", KeyType.text("an http(s) URL"), "\"\"",
            RELOAD, "InfluxDB base URL; empty: the counters go to the log")
            .flag(Flag.of("--influx-url", "URL", Value.TEXT, Target.KEY, "InfluxDB URL for the counters; the rest of"
                    + " stats.influx comes from the config file ('' = log only)"));
    public static final Key<String> INFLUX_API = Key.of("stats.influx.api", KeyType.choice("v2", "v1"), "v2", RELOAD,
            "write API: v2 (org, bucket, token) or v1 (database, user)");
    public static final Key<String> INFLUX_ORG = Key.unset("stats.influx.org", KeyType.text("text"), "none", RELOAD,
            "api v2: organisation");
    public static final Key<String> INFLUX_BUCKET = Key.unset("stats.influx.bucket", KeyType.text("text"), "none",
            RELOAD, "api v2: bucket");
    public static final Key<Secret> INFLUX_TOKEN = Key.unset("stats.influx.token", KeyType.secret(), "none", RELOAD,
            "api v2: token");
    public static final Key<String> INFLUX_TOKEN_FILE = Key.unset("stats.influx.token-file", KeyType.text("a path"),
            "none", RELOAD, "api v2: file whose first line is the token");
    public static final Key<String> INFLUX_DATABASE = Key.unset("stats.influx.database", KeyType.text("text"), "none",
            RELOAD, "api v1: database");
    public static final Key<String> INFLUX_RETENTION_POLICY = Key.unset("stats.influx.retention-policy",
            KeyType.text("text"), "the database's default", RELOAD, "api v1: retention policy");
    public static final Key<String> INFLUX_USERNAME = Key.unset("stats.influx.username", KeyType.text("text"), "none",
            RELOAD, "api v1: user");
    public static final Key<Secret> INFLUX_PASSWORD = Key.unset("stats.influx.password", KeyType.secret(), "none",
            RELOAD, "api v1: password");
    public static final Key<String> INFLUX_PASSWORD_FILE = Key.unset("stats.influx.password-file",
            KeyType.text("a path"), "none", RELOAD, "api v1: file whose first line is the password");
    public static final Key<Integer> INFLUX_BUFFER_POINTS = Key.of("stats.influx.buffer-points",
            KeyType.count(1, 10_000_000), "10000", RELOAD, "points kept while InfluxDB is down or slow");
    public static final Key<Duration> INFLUX_TIMEOUT = Key.of("stats.influx.timeout", KeyType.duration(100), "5s",
            RELOAD, "HTTP timeout per write");
    public static final Key<InetSocketAddress> PROMETHEUS_LISTEN = Key.of("stats.prometheus.listen",
            KeyType.listenAddress(), "\"\"", RESTART, "address of the scrape endpoint; empty: off")
            .flag(Flag.of("--prometheus-listen", "IP:PORT", Value.TEXT, Target.KEY, "serve /metrics, /-/healthy and"
                    + " /-/ready for Prometheus on this address, e.g. 127.0.0.1:9917 ('' = off)"));
    public static final Key<Integer> PROMETHEUS_MAX_SERIES = Key.of("stats.prometheus.max-series",
            KeyType.count(1, 10_000_000), "20000", RESTART, "Suricata series served at most");

    // ---- logging ----
    public static final Key<String> LOG_LEVEL = Key.of("logging.level",
            KeyType.choice("trace", "debug", "info", "warn", "error"), "info", RELOAD, "log level")
            .flag(Flag.of("--verbose,-v", null, Value.BOOLEAN, Target.DEBUG, "debug logging"));
    public static final Key<String> LOG_FILE = Key.unset("logging.file", KeyType.text("a path"), "stderr", RESTART,
            "log to this file (FEVER's text lines)")
            .flag(Flag.of("--logfile", "PATH", Value.TEXT, Target.KEY, "log to this file instead of stderr (FEVER's flag)"));
    public static final Key<Boolean> LOG_JSON = Key.of("logging.json", KeyType.bool(), "false", RESTART,
            "one JSON object per log line (FEVER's shape)")
            .flag(Flag.of("--logjson", null, Value.BOOLEAN, Target.KEY, "log one JSON object per line (FEVER's flag)"));

    public static final Key<Map<String, String>> ADD_FIELDS = Key.unset("add-fields",
            KeyType.textMap("a section of names and values"), "none", RESTART,
            "static fields added to every forwarded event and aggregate");

    /** Every key, in the shipped file's order. */
    public static final List<Key<?>> ALL_KEYS = List.of(INPUT_SOCKET, SOCKET_MODE, ALLOW_OTHER_USERS, SOCKET_GROUP,
            ALLOWED_UIDS, TRANSPORT, IO_THREADS, MAX_LINE_LENGTH, MAX_CONNECTIONS, DECODE_THREADS, IDLE_TIMEOUT,
            FLUSHTIME, MAX_KEYS, SRC_PORTS_PER_KEY, SRC_PORTS_TOTAL, AGGREGATE_KEY,
            OUT_SOCKET, TYPES, ALL, AGGREGATES, BUFFER_LINES, BUFFER_BYTES, WRITE_BUFFER_LOW, WRITE_BUFFER_HIGH,
            RECONNECT_BACKOFF_MIN, RECONNECT_BACKOFF_MAX, RECONNECT_RETRIES, LISTENER_UIDS,
            SHUTDOWN_GRACE,
            STATS_INTERVAL, MEASUREMENT, FORMAT, HOST, TAGS, SURICATA_ENABLED, SURICATA_MEASUREMENT, SURICATA_DELIMITER,
            SURICATA_MAX_FIELDS, INFLUX_URL, INFLUX_API, INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN, INFLUX_TOKEN_FILE,
            INFLUX_DATABASE, INFLUX_RETENTION_POLICY, INFLUX_USERNAME, INFLUX_PASSWORD, INFLUX_PASSWORD_FILE,
            INFLUX_BUFFER_POINTS, INFLUX_TIMEOUT, PROMETHEUS_LISTEN, PROMETHEUS_MAX_SERIES,
            LOG_LEVEL, LOG_FILE, LOG_JSON, ADD_FIELDS);

    /** The keys every output has. */
    public static List<Key<?>> outputKeys() {
        return ALL_KEYS.stream().filter(Key::perOutput).toList();
    }

    /** The keys of the configuration as a whole (not per output). */
    public static List<Key<?>> globalKeys() {
        return ALL_KEYS.stream().filter(k -> !k.perOutput()).toList();
    }

    /** The keys with a flag, in the order of the help. */
    public static List<Key<?>> flagged() {
        return ALL_KEYS.stream().filter(k -> k.flag() != null).toList();
    }
}

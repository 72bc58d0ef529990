package org.eveflow.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated configuration: built-in defaults, overridden by the file, overridden by flags.
 * Every value here has been checked by {@link ConfigValidator}; {@code notes} are what loading found
 * worth an info line (e.g. FEVER sections ignored), logged once logging is set up. Immutable,
 * thread-safe.
 */
public record Config(Input input, Aggregate aggregate, List<Output> outputs, Duration shutdownGrace,
                     Stats stats, String logLevel, Log log, Map<String, String> addFields, List<String> notes) {
    /** Outputs that may be on at once (the outputs a line goes to are a bit set in a long). */
    public static final int MAX_OUTPUTS = 64;

    /** This configuration with other outputs. */
    public Config withOutputs(List<Output> next) {
        return new Config(input, aggregate, List.copyOf(next), shutdownGrace, stats, logLevel, log, addFields, notes);
    }

    /** Where logs go: {@code file} null for stderr; {@code json} one JSON object per line. */
    public record Log(String file, boolean json) {
    }

    public enum Transport { AUTO, EPOLL, NIO }

    /**
     * Where Suricata writes: the listening Unix socket and its limits. {@code socketGroup}: group
     * given to the socket file, or null (eveflow's own group); {@code allowedUids}: peer uids allowed
     * to connect, empty for anyone the file mode lets in.
     */
    public record Input(Path socket, int socketMode, String socketGroup, java.util.Set<Integer> allowedUids,
                        Transport transport, int ioThreads, int maxLineLength, int maxConnections,
                        int decodeThreads, Duration idleTimeout) {

        /** Whether any local user may connect (the mode lets "other" write, and no uid list narrows it). */
        public boolean openToOtherUsers() {
            return (socketMode & 02) != 0 && allowedUids.isEmpty();
        }
    }

    /**
     * Flow aggregation: flush interval and the bounds of the table. {@code keyExtras}: what the
     * aggregation key has beyond FEVER's (src_ip, dest_ip, dest_port), in order, a subset of
     * {@link #KEY_EXTRAS}; empty for FEVER's key.
     */
    public record Aggregate(Duration flushtime, int maxKeys, int srcPortsPerKey, long srcPortsTotal,
                            List<String> keyExtras) {
        public static final List<String> KEY_BASE = List.of("src_ip", "dest_ip", "dest_port");
        public static final List<String> KEY_EXTRAS = List.of("proto", "vlan", "in_iface");
    }

    /**
     * One outgoing Unix socket with its type filter, bounded buffer and its connection's write-buffer
     * water marks ({@code writeBufferLow} at most {@code writeBufferHigh}).
     */
    public record Output(String name, Path socket, Set<String> types, boolean all, boolean aggregates,
                         int bufferLines, long bufferBytes, int writeBufferLow, int writeBufferHigh,
                         Duration reconnectBackoffMax, int reconnectRetries, Set<Integer> listenerUids) {

        /** Whether the raw line of an event of this type goes to this output. */
        public boolean forwards(String eventType) {
            return all || types.contains(eventType);
        }

        /** This output with another buffer-bytes. */
        public Output withBufferBytes(long bytes) {
            return new Output(name, socket, types, all, aggregates, bufferLines, bytes, writeBufferLow,
                    writeBufferHigh, reconnectBackoffMax, reconnectRetries, listenerUids);
        }

        /**
         * What a reload takes from {@code next}: its type filter (types, all, aggregates) and the listener
         * uids (checked at the next connect); the rest stays.
         */
        public Output reloadedWith(Output next) {
            return new Output(name, socket, next.types, next.all, next.aggregates, bufferLines, bufferBytes,
                    writeBufferLow, writeBufferHigh, reconnectBackoffMax, reconnectRetries, next.listenerUids);
        }

        /** The keys that differ in {@code next} and that a reload does not take (they need a restart). */
        public List<String> restartKeys(Output next) {
            List<String> keys = new java.util.ArrayList<>();
            if (!socket.equals(next.socket)) {
                keys.add("socket");
            }
            if (bufferLines != next.bufferLines) {
                keys.add("buffer-lines");
            }
            if (bufferBytes != next.bufferBytes) {
                keys.add("buffer-bytes");
            }
            if (writeBufferLow != next.writeBufferLow) {
                keys.add("write-buffer-low");
            }
            if (writeBufferHigh != next.writeBufferHigh) {
                keys.add("write-buffer-high");
            }
            if (!reconnectBackoffMax.equals(next.reconnectBackoffMax)) {
                keys.add("reconnect-backoff-max");
            }
            if (reconnectRetries != next.reconnectRetries) {
                keys.add("reconnect-retries");
            }
            return keys;
        }
    }

    /**
     * Stats reporting: every interval to InfluxDB ({@code influx} non-null) or else to the log.
     * {@code feverFormat}: InfluxDB points in FEVER's shape (FEVER's field names, float fields, per-flush
     * values once per flush) instead of eveflow's own counters.
     */
    /** {@code influx}, {@code prometheus}: null when off. */
    public record Stats(Duration interval, String measurement, String host, Map<String, String> tags,
                        Influx influx, boolean feverFormat, SuricataStats suricata, Prometheus prometheus) {
        /** Whether Suricata's stats records are read: switched on, and InfluxDB or Prometheus configured. */
        public boolean suricataPoints() {
            return suricata.enabled() && (influx != null || prometheus != null);
        }
    }

    /**
     * The scrape endpoint: the address it listens on (an IP literal, never a name to resolve) and the
     * most Suricata series it serves.
     */
    public record Prometheus(java.net.InetSocketAddress listen, int maxSeries) {
    }

    /**
     * Suricata's own stats records as InfluxDB points shaped as Telegraf's {@code inputs.suricata}
     * writes them: nested names joined with {@code delimiter}, at most {@code maxFields} fields a point.
     */
    public record SuricataStats(boolean enabled, String measurement, String delimiter, int maxFields) {
    }

    public enum InfluxApi { V2, V1 }

    /**
     * An InfluxDB (or compatible) target. API v2 writes to /api/v2/write with org, bucket and token;
     * API v1 rewrites the call to /write with database, retention policy and Basic auth.
     */
    public record Influx(String url, InfluxApi api, String org, String bucket, Secret token, String database,
                         String retentionPolicy, String username, Secret password, int bufferPoints,
                         Duration timeout) {

        /** Where points go, for logs and check-config; never includes a secret. */
        public String describe() {
            return redactedUrl() + " (api " + (api == InfluxApi.V1 ? "v1, database " + database : "v2, org " + org
                    + ", bucket " + bucket) + ")";
        }

        /** The URL with user info and secret query values (token, password, u, p, ...) replaced by ***. */
        public String redactedUrl() {
            return Secret.redactUrl(url);
        }
    }
}

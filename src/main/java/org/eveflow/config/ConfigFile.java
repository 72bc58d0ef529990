package org.eveflow.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The configuration tree bound to records: the defaults ({@link ConfigDefaults}) with the file and
 * the flags merged over them ({@link ConfigTree}), so every key that has a declared default is set;
 * a boxed value is null only where its default is derived or where "not set" is a setting (socket
 * group, allowed uids, InfluxDB credentials). Values are typed by Jackson (durations, sizes and modes
 * by {@link ValueDeserializers}); ranges and relations between keys are checked by
 * {@link ConfigValidator}. Unknown keys are refused. Immutable.
 */
record ConfigFile(
        @JsonProperty("input") Input input,
        @JsonProperty("aggregate") Aggregate aggregate,
        @JsonProperty("outputs") LinkedHashMap<String, Output> outputs,
        @JsonProperty("shutdown-grace") Duration shutdownGrace,
        @JsonProperty("stats") Stats stats,
        @JsonProperty("logging") Logging logging,
        @JsonProperty("add-fields") LinkedHashMap<String, String> addFields) {

    record Input(
            @JsonProperty("socket") String socket,
            @JsonProperty("socket-mode") @JsonDeserialize(using = ValueDeserializers.Mode.class) int socketMode,
            @JsonProperty("allow-other-users") boolean allowOtherUsers,
            @JsonProperty("socket-group") String socketGroup,
            @JsonProperty("allowed-uids") List<Integer> allowedUids,
            @JsonProperty("transport") String transport,
            @JsonProperty("io-threads") int ioThreads,
            @JsonProperty("max-line-length") @JsonDeserialize(using = ValueDeserializers.Size.class) long maxLineLength,
            @JsonProperty("max-connections") int maxConnections,
            @JsonProperty("decode-threads") Integer decodeThreads,
            @JsonProperty("idle-timeout") Duration idleTimeout) {
    }

    /** {@code maxKeys}, {@code srcPortsTotal} null: auto, derived from the heap ({@link HeapBudget}). */
    record Aggregate(
            @JsonProperty("flushtime") Duration flushtime,
            @JsonProperty("max-keys") @JsonDeserialize(using = ValueDeserializers.AutoCount.class) Long maxKeys,
            @JsonProperty("src-ports-per-key") int srcPortsPerKey,
            @JsonProperty("src-ports-total") @JsonDeserialize(using = ValueDeserializers.AutoCount.class) Long srcPortsTotal,
            @JsonProperty("key") List<String> key) {
    }

    /** One output; {@code aggregates} null: derived (true when the configuration has exactly one output). */
    record Output(
            @JsonProperty("socket") String socket,
            @JsonProperty("types") List<String> types,
            @JsonProperty("all") boolean all,
            @JsonProperty("aggregates") Boolean aggregates,
            @JsonProperty("buffer-lines") int bufferLines,
            @JsonProperty("buffer-bytes") @JsonDeserialize(using = ValueDeserializers.Size.class) long bufferBytes,
            @JsonProperty("write-buffer-low") @JsonDeserialize(using = ValueDeserializers.Size.class) long writeBufferLow,
            @JsonProperty("write-buffer-high") @JsonDeserialize(using = ValueDeserializers.Size.class) long writeBufferHigh,
            @JsonProperty("reconnect-backoff-max") Duration reconnectBackoffMax,
            @JsonProperty("reconnect-retries") int reconnectRetries,
            @JsonProperty("listener-uids") List<Integer> listenerUids) {
    }

    /** {@code format} null: derived from the measurement; {@code host} null: this machine's name. */
    record Stats(
            @JsonProperty("interval") Duration interval,
            @JsonProperty("measurement") String measurement,
            @JsonProperty("format") String format,
            @JsonProperty("host") String host,
            @JsonProperty("tags") LinkedHashMap<String, String> tags,
            @JsonProperty("influx") Influx influx,
            @JsonProperty("suricata") SuricataStats suricata,
            @JsonProperty("prometheus") Prometheus prometheus) {
    }

    record Prometheus(
            @JsonProperty("listen") String listen,
            @JsonProperty("max-series") int maxSeries) {
    }

    record SuricataStats(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("measurement") String measurement,
            @JsonProperty("delimiter") String delimiter,
            @JsonProperty("max-fields") int maxFields) {
    }

    record Influx(
            @JsonProperty("url") String url,
            @JsonProperty("api") String api,
            @JsonProperty("org") String org,
            @JsonProperty("bucket") String bucket,
            @JsonProperty("token") String token,
            @JsonProperty("token-file") String tokenFile,
            @JsonProperty("database") String database,
            @JsonProperty("retention-policy") String retentionPolicy,
            @JsonProperty("username") String username,
            @JsonProperty("password") String password,
            @JsonProperty("password-file") String passwordFile,
            @JsonProperty("buffer-points") int bufferPoints,
            @JsonProperty("timeout") Duration timeout) {

        /** Never prints the token or password. */
        @Override
        public String toString() {
            return "Influx[url=" + url + ", api=" + api + ", org=" + org + ", bucket=" + bucket
                    + ", database=" + database + ", username=" + username + "]";
        }
    }

    /** {@code file} null or "": stderr. */
    record Logging(@JsonProperty("level") String level, @JsonProperty("file") String file,
                   @JsonProperty("json") boolean json) {
    }
}

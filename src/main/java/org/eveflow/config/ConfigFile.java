package org.eveflow.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The YAML file as written, before validation: every value a String (sizes, durations, modes) or a
 * plain scalar, every key kebab-case. Unknown keys are rejected by {@link ConfigLoader}. Immutable.
 */
public record ConfigFile(
        @JsonProperty("input") InputSection input,
        @JsonProperty("aggregate") AggregateSection aggregate,
        @JsonProperty("outputs") LinkedHashMap<String, OutputSection> outputs,
        @JsonProperty("shutdown-grace") String shutdownGrace,
        @JsonProperty("stats") StatsSection stats,
        @JsonProperty("logging") LoggingSection logging,
        @JsonProperty("add-fields") LinkedHashMap<String, String> addFields) {

    public record InputSection(
            @JsonProperty("socket") String socket,
            @JsonProperty("socket-mode") com.fasterxml.jackson.databind.JsonNode socketMode,
            @JsonProperty("allow-other-users") Boolean allowOtherUsers,
            @JsonProperty("socket-group") String socketGroup,
            @JsonProperty("allowed-uids") java.util.List<Integer> allowedUids,
            @JsonProperty("transport") String transport,
            @JsonProperty("io-threads") Integer ioThreads,
            @JsonProperty("max-line-length") String maxLineLength,
            @JsonProperty("max-connections") Integer maxConnections,
            @JsonProperty("decode-threads") Integer decodeThreads,
            @JsonProperty("idle-timeout") String idleTimeout) {
    }

    public record AggregateSection(
            @JsonProperty("flushtime") String flushtime,
            @JsonProperty("max-keys") Integer maxKeys,
            @JsonProperty("src-ports-per-key") Integer srcPortsPerKey,
            @JsonProperty("src-ports-total") Long srcPortsTotal,
            @JsonProperty("key") java.util.List<String> key) {
    }

    public record OutputSection(
            @JsonProperty("socket") String socket,
            @JsonProperty("types") List<String> types,
            @JsonProperty("all") Boolean all,
            @JsonProperty("aggregates") Boolean aggregates,
            @JsonProperty("buffer-lines") Integer bufferLines,
            @JsonProperty("buffer-bytes") String bufferBytes,
            @JsonProperty("reconnect-backoff-max") String reconnectBackoffMax,
            @JsonProperty("reconnect-retries") Integer reconnectRetries) {
    }

    public record StatsSection(
            @JsonProperty("interval") String interval,
            @JsonProperty("measurement") String measurement,
            @JsonProperty("format") String format,
            @JsonProperty("host") String host,
            @JsonProperty("tags") java.util.LinkedHashMap<String, String> tags,
            @JsonProperty("influx") InfluxSection influx) {
    }

    public record InfluxSection(
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
            @JsonProperty("buffer-points") Integer bufferPoints,
            @JsonProperty("timeout") String timeout) {

        /** Never prints the token or password. */
        @Override
        public String toString() {
            return "InfluxSection[url=" + url + ", api=" + api + ", org=" + org + ", bucket=" + bucket
                    + ", database=" + database + ", username=" + username + "]";
        }
    }

    public record LoggingSection(@JsonProperty("level") String level, @JsonProperty("file") String file,
                                 @JsonProperty("json") Boolean json) {
    }
}

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
        @JsonProperty("logging") LoggingSection logging) {

    public record InputSection(
            @JsonProperty("socket") String socket,
            @JsonProperty("socket-mode") String socketMode,
            @JsonProperty("transport") String transport,
            @JsonProperty("io-threads") Integer ioThreads,
            @JsonProperty("max-line-length") String maxLineLength,
            @JsonProperty("max-connections") Integer maxConnections) {
    }

    public record AggregateSection(
            @JsonProperty("flushtime") String flushtime,
            @JsonProperty("max-keys") Integer maxKeys,
            @JsonProperty("src-ports-per-key") Integer srcPortsPerKey,
            @JsonProperty("src-ports-total") Long srcPortsTotal) {
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

    public record StatsSection(@JsonProperty("interval") String interval) {
    }

    public record LoggingSection(@JsonProperty("level") String level) {
    }
}

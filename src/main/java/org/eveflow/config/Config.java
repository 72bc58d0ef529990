package org.eveflow.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The validated configuration: built-in defaults, overridden by the file, overridden by flags.
 * Every value here has been checked by {@link ConfigLoader}. Immutable, thread-safe.
 */
public record Config(Input input, Aggregate aggregate, List<Output> outputs, Duration shutdownGrace,
                     Stats stats, String logLevel) {

    public enum Transport { AUTO, EPOLL, NIO }

    /** Where Suricata writes: the listening Unix socket and its limits. */
    public record Input(Path socket, int socketMode, Transport transport, int ioThreads,
                        int maxLineLength, int maxConnections) {
    }

    /** Flow aggregation: flush interval and the bounds of the table. */
    public record Aggregate(Duration flushtime, int maxKeys, int srcPortsPerKey, long srcPortsTotal) {
    }

    /** One outgoing Unix socket with its type filter and bounded buffer. */
    public record Output(String name, Path socket, Set<String> types, boolean all, boolean aggregates,
                         int bufferLines, long bufferBytes, Duration reconnectBackoffMax, int reconnectRetries) {

        /** Whether the raw line of an event of this type goes to this output. */
        public boolean forwards(String eventType) {
            return all || types.contains(eventType);
        }
    }

    public record Stats(Duration interval) {
    }
}

package org.eveflow.stats;

import java.util.List;

/** Where stats reports go: the log (embedded default) or InfluxDB. Called from the stats thread. */
public interface StatsSink {
    /** Takes one report; must not block for long (a sink that writes remotely buffers). */
    void publish(Sample sample);

    /** A flush ended with {@code flowEvents} flow events in {@code aggregates} aggregates (flush thread). */
    default void flushed(long flowEvents, long aggregates) {
    }

    /** Points read from Suricata's stats records (decode threads); must not block. */
    default void suricata(long epochMillis, List<SuricataStats.Point> points) {
    }

    /** Writes what is still pending until the deadline (System.nanoTime), then releases resources. */
    void close(long deadlineNanos);
}

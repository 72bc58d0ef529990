package org.eveflow.stats;

/** Where stats reports go: the log (embedded default) or InfluxDB. Called from the stats thread. */
public interface StatsSink {
    /** Takes one report; must not block for long (a sink that writes remotely buffers). */
    void publish(Sample sample);

    /** Writes what is still pending until the deadline (System.nanoTime), then releases resources. */
    void close(long deadlineNanos);
}

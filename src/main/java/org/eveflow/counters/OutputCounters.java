package org.eveflow.counters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One output's accounting: offered = written + dropped + buffered (+ in flight to the kernel).
 * Thread-safe.
 */
public final class OutputCounters {
    public final String name;
    public final LongAdder offered = new LongAdder();
    public final LongAdder written = new LongAdder();
    /** Raw lines refused because the buffer was full (or aggregates were waiting for room). */
    public final LongAdder droppedFull = new LongAdder();
    /** Lines handed to the connection that failed before the kernel took them (reader went away). */
    public final LongAdder droppedDisconnect = new LongAdder();
    /** Lines dropped because the output was disabled (reconnect-retries exhausted). */
    public final LongAdder droppedDisabled = new LongAdder();
    /** 1 while a connection to the reader is up. */
    public final AtomicLong connected = new AtomicLong();
    /** 1 once the output is disabled. */
    public final AtomicLong disabled = new AtomicLong();
    /** Lines still buffered when the shutdown grace period ran out. */
    public final LongAdder droppedShutdown = new LongAdder();
    public final AtomicLong bufferedLines = new AtomicLong();
    public final AtomicLong bufferedBytes = new AtomicLong();
    public final AtomicLong inFlight = new AtomicLong();
    public final LongAdder reconnects = new LongAdder();
    /** Connections closed at once because the listener was another user not in listener-uids, or eveflow itself. */
    public final LongAdder listenerRefused = new LongAdder();
    /** Connection attempts that failed (reader absent or refusing). */
    public final LongAdder connectFailures = new LongAdder();

    OutputCounters(String name) {
        this.name = name;
    }

    public long dropped() {
        return droppedFull.sum() + droppedDisconnect.sum() + droppedDisabled.sum() + droppedShutdown.sum();
    }

    /** This output's metrics by name (docs/metrics.md); tagged with output=NAME where reported. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("output_offered", offered.sum());
        m.put("output_written", written.sum());
        m.put("output_dropped", dropped());
        m.put("output_dropped_full", droppedFull.sum());
        m.put("output_dropped_disconnect", droppedDisconnect.sum());
        m.put("output_dropped_disabled", droppedDisabled.sum());
        m.put("output_dropped_shutdown", droppedShutdown.sum());
        m.put("output_buffer_length", bufferedLines.get());
        m.put("output_buffer_bytes", bufferedBytes.get());
        m.put("output_reconnects", reconnects.sum());
        m.put("output_connect_failures", connectFailures.sum());
        m.put("output_listener_refused", listenerRefused.sum());
        m.put("output_connected", connected.get());
        m.put("output_disabled", disabled.get());
        return m;
    }

}

package org.eveflow.stats;

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
    /** Lines still buffered when the shutdown grace period ran out. */
    public final LongAdder droppedShutdown = new LongAdder();
    public final AtomicLong bufferedLines = new AtomicLong();
    public final AtomicLong bufferedBytes = new AtomicLong();
    public final AtomicLong inFlight = new AtomicLong();
    public final LongAdder reconnects = new LongAdder();

    OutputCounters(String name) {
        this.name = name;
    }

    public long dropped() {
        return droppedFull.sum() + droppedDisconnect.sum() + droppedShutdown.sum();
    }

    public String summary() {
        return name + ": offered=" + offered.sum() + " written=" + written.sum() + " dropped=" + dropped()
                + " (full " + droppedFull.sum() + ", disconnect " + droppedDisconnect.sum() + ", shutdown "
                + droppedShutdown.sum() + ") buffered=" + bufferedLines.get() + " reconnects=" + reconnects.sum();
    }
}

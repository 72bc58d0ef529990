package org.eveflow.stats;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The daemon's cumulative counters (they only grow) and a few gauges. Every received line ends in
 * exactly one of decoded, malformed, oversized, so lines received is their sum. Thread-safe.
 */
public final class Counters {
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder linesDecoded = new LongAdder();
    public final LongAdder linesMalformed = new LongAdder();
    public final LongAdder linesOversized = new LongAdder();
    public final EventTypeCounters events = new EventTypeCounters();

    /** Flow events added to the table. */
    public final LongAdder flowsAggregated = new LongAdder();
    /** Flow events refused because the table was full and the flush could not drain it. */
    public final LongAdder flowsRefused = new LongAdder();
    /** Flows counted in flow_count whose src port was not listed (per-key or total cap). */
    public final LongAdder srcPortsUnlisted = new LongAdder();
    public final LongAdder aggregatesEmitted = new LongAdder();
    public final LongAdder flushes = new LongAdder();
    public final LongAdder earlyFlushes = new LongAdder();
    /** FEVER's per-flush gauges: flow events and aggregates in the last flush. */
    public final AtomicLong lastFlushRawCount = new AtomicLong();
    public final AtomicLong lastFlushAggregateCount = new AtomicLong();
    public final AtomicLong lastFlushMillis = new AtomicLong();
    public final AtomicLong keysInTable = new AtomicLong();

    /** Events whose raw line was offered to at least one output. */
    public final LongAdder eventsForwarded = new LongAdder();
    /** Decoded events that are neither flows nor forwarded anywhere. */
    public final LongAdder eventsIgnored = new LongAdder();

    public final AtomicLong connectionsActive = new AtomicLong();
    public final LongAdder connectionsTotal = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();

    public final List<OutputCounters> outputs = new CopyOnWriteArrayList<>();

    public long linesReceived() {
        return linesDecoded.sum() + linesMalformed.sum() + linesOversized.sum();
    }

    public OutputCounters newOutput(String name) {
        OutputCounters c = new OutputCounters(name);
        outputs.add(c);
        return c;
    }

    public OutputCounters output(String name) {
        for (OutputCounters c : outputs) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no output " + name);
    }

    public long outputsDropped() {
        return outputs.stream().mapToLong(OutputCounters::dropped).sum();
    }

    public long outputsBufferedLines() {
        return outputs.stream().mapToLong(o -> o.bufferedLines.get()).sum();
    }

    /** The one-line summary written to the log every stats interval. */
    public String summary() {
        return "lines received=" + linesReceived() + " decoded=" + linesDecoded.sum()
                + " malformed=" + linesMalformed.sum() + " oversized=" + linesOversized.sum()
                + " flows aggregated=" + flowsAggregated.sum() + " refused=" + flowsRefused.sum()
                + " aggregates emitted=" + aggregatesEmitted.sum() + " forwarded=" + eventsForwarded.sum()
                + " dropped=" + outputsDropped() + " buffered=" + outputsBufferedLines()
                + " connections=" + connectionsActive.get() + " (total " + connectionsTotal.sum()
                + ", refused " + connectionsRefused.sum() + ")";
    }
}

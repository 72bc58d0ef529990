package org.eveflow.aggregate;

/** Where encoded aggregate lines go (the outputs); may block to pace the flush. */
@FunctionalInterface
public interface AggregateSink {
    /** Takes one complete line ending in '\n'; may wait for room until {@code deadlineNanos} (System.nanoTime). */
    void offerAggregate(byte[] line, long deadlineNanos);
}

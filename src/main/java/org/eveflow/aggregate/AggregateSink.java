package org.eveflow.aggregate;

/** Where encoded aggregate lines go (the outputs); may block to pace the flush. */
@FunctionalInterface
public interface AggregateSink {
    /**
     * Takes one complete line ending in '\n', {@code buf[0, len)}, which is valid only during the call
     * (the encoder reuses it): a sink copies what it keeps. May wait for room until
     * {@code deadlineNanos} (System.nanoTime).
     */
    void offerAggregate(byte[] buf, int len, long deadlineNanos);
}

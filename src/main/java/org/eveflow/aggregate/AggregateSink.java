package org.eveflow.aggregate;

import java.util.function.LongSupplier;

/** Where encoded aggregate lines go (the outputs); may block to pace the flush. */
@FunctionalInterface
public interface AggregateSink {
    /**
     * Takes {@code lines} complete lines, each ending in '\n', {@code buf[0, len)}, which is valid only
     * during the call (the flush reuses it): a sink copies what it keeps. May wait for room until
     * the deadline (System.nanoTime), read again while waiting: a shutdown sets it while a flush waits.
     */
    void offerAggregates(byte[] buf, int len, int lines, LongSupplier deadline);
}

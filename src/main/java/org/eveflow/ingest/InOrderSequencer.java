package org.eveflow.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hands results on in the order their work was begun, whatever order they finish in: each piece of
 * work takes the next number ({@link #begin}), and when it finishes ({@link #finish}) every result
 * whose predecessors have all finished goes to the consumer, lowest number first. A result that
 * finishes early waits here. Confined to one thread (a connection's event loop); the work itself may
 * run anywhere.
 *
 * @param <R> a piece of work's result
 */
final class InOrderSequencer<R> {
    private final Consumer<R> inOrder;
    /** Finished results waiting for a predecessor, by number. */
    private final Map<Long, R> waiting = new HashMap<>();
    private long begun;
    private long handedOn;

    /** {@code inOrder} takes each result, in the order the work was begun. */
    InOrderSequencer(Consumer<R> inOrder) {
        this.inOrder = inOrder;
    }

    /** The number of a new piece of work. */
    long begin() {
        return begun++;
    }

    /** The work numbered {@code seq} finished with {@code result}; returns how many results were handed on. */
    int finish(long seq, R result) {
        if (seq < handedOn || seq >= begun || waiting.putIfAbsent(seq, result) != null) {
            throw new IllegalStateException("work " + seq + " finished twice or was never begun");
        }
        int n = 0;
        R next;
        while ((next = waiting.remove(handedOn)) != null) {
            handedOn++;
            n++;
            inOrder.accept(next);
        }
        return n;
    }

    /** Whether every piece of work begun has been handed on. */
    boolean idle() {
        return begun == handedOn;
    }
}

package org.eveflow.output;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.eveflow.counters.OutputCounters;

/**
 * An output's bounded buffer and its admission: blocks of raw lines are taken while there is room (lines and
 * bytes) and no aggregates wait for room, else dropped newest-first (counted full); aggregates wait
 * for room until a deadline (aggregates outrank raw lines, invariant 7). The writer takes batches from
 * the front; lines whose write failed before the kernel took any byte of them come back to the front,
 * in order ({@link #putBack}, then {@link #requeuePutBack}). Once disabled or closed, everything
 * buffered and offered later is dropped under that cause. Keeps the gauges {@code output_buffer_length}
 * and {@code output_buffer_bytes} and the in-flight count. Invariant: every buffer taken in ends once
 * as queued (then taken by the writer) or dropped and counted. Thread-safe: the queue is guarded by
 * {@code lock}; {@link #putBack} and {@link #requeuePutBack} are called only on the writer's event loop.
 */
final class OutputBuffer {
    private final long maxLines;
    private final long maxBytes;
    private final OutputCounters counters;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final LineQueue queue = new LineQueue();
    private int aggregatesWaiting;
    private volatile boolean disabled;
    private volatile boolean closed;
    /** Lines whose write failed untouched, waiting to go back to the front; confined to the writer's loop. */
    private final LineQueue putBack = new LineQueue();
    private volatile long putBackLines;

    OutputBuffer(long maxLines, long maxBytes, OutputCounters counters) {
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
        this.counters = counters;
    }

    enum Dropped { FULL, DISABLED, SHUTDOWN }

    /**
     * Queues a block of raw lines, or a copy of as many of its first lines as there is room for: the
     * others are dropped (newest first, counted, the block released; all of them when there is no direct
     * memory for the copy). Returns whether any line was queued. Never blocks.
     */
    boolean offerRaw(ByteBuf block, int lines) {
        counters.offered.add(lines);
        Dropped reason = null;
        int queued = 0;
        lock.lock();
        try {
            if (closed) {
                reason = Dropped.SHUTDOWN;
            } else if (disabled) {
                reason = Dropped.DISABLED;
            } else if (aggregatesWaiting > 0) {
                reason = Dropped.FULL;
            } else if (fits(lines, block.readableBytes()) || queue.isEmpty() && lines == 1) {
                enqueueLast(block, lines);
                queued = lines;
            } else {
                int bytes = endOfLinesThatFit(block, lines) - block.readerIndex();
                ByteBuf first = bytes == 0 ? null : copyOf(block, bytes);
                if (first != null) {
                    queued = FailedWrite.lineEnds(first, first.readerIndex(), bytes);
                    enqueueLast(first, queued);
                }
                reason = Dropped.FULL;
            }
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            drop(block, lines - queued, reason);
        }
        return queued > 0;
    }

    /**
     * The first {@code bytes} of the block in a buffer of their own (a slice would keep the whole block's
     * memory for the part counted in buffer-bytes), or null when there is no direct memory for them.
     */
    private static ByteBuf copyOf(ByteBuf block, int bytes) {
        try {
            return block.alloc().directBuffer(bytes, bytes).writeBytes(block, block.readerIndex(), bytes);
        } catch (OutOfMemoryError noDirectMemory) {
            return null;
        }
    }

    /**
     * Under {@code lock}, for a block that does not fit whole: the index after its first lines that fit
     * in the room left (lines and bytes; an empty buffer takes at least one line).
     */
    private int endOfLinesThatFit(ByteBuf block, int lines) {
        long roomLines = Math.min(lines, Math.max(0, maxLines - queue.lines()));
        long roomBytes = maxBytes - queue.bytes();
        int start = block.readerIndex();
        int end = start;
        for (int n = 0; n < roomLines; n++) {
            int next = block.indexOf(end, block.writerIndex(), (byte) '\n') + 1;
            if (next == 0 || next - start > roomBytes && !(n == 0 && queue.isEmpty())) {
                break;
            }
            end = next;
        }
        return end;
    }

    /**
     * Queues a block of aggregate lines, waiting for room until the deadline, which is read again at
     * every wake-up (at most every 100 ms: a shutdown sets it while a periodic flush waits); false if
     * dropped (counted).
     */
    boolean offerAggregates(ByteBuf block, int lines, LongSupplier deadline) {
        counters.offered.add(lines);
        int len = block.readableBytes();
        Dropped reason = null;
        lock.lock();
        try {
            aggregatesWaiting++;
            try {
                while (!closed && !disabled && !hasRoom(lines, len)) {
                    long wait = deadline.getAsLong() - System.nanoTime();
                    if (wait <= 0) {
                        break;
                    }
                    room.awaitNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                aggregatesWaiting--;
            }
            if (closed) {
                reason = Dropped.SHUTDOWN;
            } else if (disabled) {
                reason = Dropped.DISABLED;
            } else if (!hasRoom(lines, len)) {
                reason = Dropped.SHUTDOWN; // only a shutdown deadline (or interrupt) ends the wait
            } else {
                enqueueLast(block, lines);
            }
        } finally {
            lock.unlock();
        }
        if (reason != null) {
            drop(block, lines, reason);
            return false;
        }
        return true;
    }

    /** Lines that could not be copied for this output: offered, and dropped as full. */
    void dropUncopied(int lines) {
        counters.offered.add(lines);
        counters.droppedFull.add(lines);
    }

    /**
     * Moves up to {@code max} buffers (and about {@code maxBytes} bytes) from the front into
     * {@code buffers}, their line counts into {@code lines}, and counts their lines in flight; returns
     * how many. Wakes aggregates waiting for room.
     */
    int takeBatch(ByteBuf[] buffers, int[] lines, int max, long maxBatchBytes) {
        int n = 0;
        long bytes = 0;
        long batchLines = 0;
        lock.lock();
        try {
            while (n < max && bytes < maxBatchBytes && !queue.isEmpty()) {
                lines[n] = queue.firstLines();
                batchLines += lines[n];
                ByteBuf b = queue.pollFirst();
                buffers[n++] = b;
                bytes += b.readableBytes();
            }
            counters.inFlight.addAndGet(batchLines); // before the gauge drops: never seen as neither
            updateGauges();
            if (n > 0) {
                room.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return n;
    }

    /**
     * On the writer's loop: lines of a failed write that the kernel took no byte of; they go back to
     * the front with {@link #requeuePutBack}. Returns whether they are the first waiting (then the
     * caller schedules the requeue).
     */
    boolean putBack(ByteBuf rest, int lines) {
        putBack.addLast(rest, lines);
        putBackLines = putBack.lines();
        counters.bufferedLines.addAndGet(lines);
        return putBack.size() == 1;
    }

    /** On the writer's loop: puts the lines of {@link #putBack} at the front, in their order (or drops them once closed). */
    void requeuePutBack() {
        if (putBack.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            while (!putBack.isEmpty()) {
                int n = putBack.lastLines();
                ByteBuf b = putBack.pollLast();
                if (closed || disabled) {
                    drop(b, n, closed ? Dropped.SHUTDOWN : Dropped.DISABLED);
                } else {
                    queue.addFirst(b, n);
                }
            }
            putBackLines = 0;
            updateGauges();
        } finally {
            lock.unlock();
        }
    }

    /** Gives up for good: drops what is buffered and everything offered later (counted disabled). */
    long disable() {
        lock.lock();
        try {
            disabled = true;
            long dropped = dropBuffered(counters.droppedDisabled);
            counters.disabled.set(1);
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Closes for the shutdown: drops what is buffered and everything offered later (counted shutdown). */
    long close() {
        lock.lock();
        try {
            closed = true;
            return dropBuffered(counters.droppedShutdown);
        } finally {
            lock.unlock();
        }
    }

    boolean disabled() {
        return disabled;
    }

    boolean closed() {
        return closed;
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Whether everything offered has been written or dropped: nothing queued, put back or in flight. */
    boolean idle() {
        lock.lock();
        try {
            return queue.isEmpty() && counters.inFlight.get() == 0 && counters.bufferedLines.get() == 0;
        } finally {
            lock.unlock();
        }
    }

    void drop(ByteBuf buf, int lines, Dropped reason) {
        switch (reason) {
            case FULL: counters.droppedFull.add(lines); break;
            case DISABLED: counters.droppedDisabled.add(lines); break;
            default: counters.droppedShutdown.add(lines);
        }
        buf.release();
    }

    private boolean hasRoom(int lines, int len) {
        // An empty buffer always takes one block of aggregates, so one larger than the limits is not stuck forever.
        return queue.isEmpty() || fits(lines, len);
    }

    private boolean fits(int lines, int len) {
        return queue.lines() + lines <= maxLines && queue.bytes() + len <= maxBytes;
    }

    private void enqueueLast(ByteBuf buf, int lines) {
        queue.addLast(buf, lines);
        updateGauges();
    }

    private void updateGauges() {
        counters.bufferedLines.set(queue.lines() + putBackLines);
        counters.bufferedBytes.set(queue.bytes());
    }

    /** Under {@code lock}: releases every queued line, counts them as {@code reason}, wakes waiters. */
    private long dropBuffered(LongAdder reason) {
        long dropped = queue.lines();
        for (ByteBuf b; (b = queue.pollFirst()) != null; ) {
            b.release();
        }
        updateGauges();
        reason.add(dropped);
        room.signalAll();
        return dropped;
    }
}

package org.eveflow.output;

import io.netty.buffer.ByteBuf;

/**
 * An output's buffer: byte buffers, each holding one or more whole lines (a block of raw lines from
 * one input batch, or of aggregate lines from one flush), in order, with how many lines each holds and the totals. Each
 * buffer's lines start at its reader index. A ring of two parallel arrays, so a queued line costs no
 * object beyond its buffer. Invariant: {@link #lines()} and {@link #bytes()} are the sums over the
 * queued buffers. Not thread-safe: guarded by its forwarder.
 */
final class LineQueue {
    private ByteBuf[] bufs = new ByteBuf[16];
    private int[] counts = new int[16];
    private int head;
    private int size;
    private long lines;
    private long bytes;

    boolean isEmpty() {
        return size == 0;
    }

    /** Buffers queued (not lines). */
    int size() {
        return size;
    }

    long lines() {
        return lines;
    }

    long bytes() {
        return bytes;
    }

    void addLast(ByteBuf b, int n) {
        grow();
        int at = (head + size) & (bufs.length - 1);
        bufs[at] = b;
        counts[at] = n;
        size++;
        added(b, n);
    }

    void addFirst(ByteBuf b, int n) {
        grow();
        head = (head - 1) & (bufs.length - 1);
        bufs[head] = b;
        counts[head] = n;
        size++;
        added(b, n);
    }

    /** The number of lines in the first buffer; call before {@link #pollFirst}. Queue not empty. */
    int firstLines() {
        return counts[head];
    }

    /** Takes the first buffer, or null when empty. */
    ByteBuf pollFirst() {
        return size == 0 ? null : take(head, true);
    }

    /** The number of lines in the last buffer; call before {@link #pollLast}. Queue not empty. */
    int lastLines() {
        return counts[(head + size - 1) & (bufs.length - 1)];
    }

    /** Takes the last buffer, or null when empty. */
    ByteBuf pollLast() {
        return size == 0 ? null : take((head + size - 1) & (bufs.length - 1), false);
    }

    private ByteBuf take(int at, boolean first) {
        ByteBuf b = bufs[at];
        bufs[at] = null;
        lines -= counts[at];
        bytes -= b.readableBytes();
        size--;
        if (first) {
            head = (head + 1) & (bufs.length - 1);
        }
        return b;
    }

    private void added(ByteBuf b, int n) {
        lines += n;
        bytes += b.readableBytes();
    }

    private void grow() {
        if (size < bufs.length) {
            return;
        }
        ByteBuf[] b = new ByteBuf[bufs.length * 2];
        int[] c = new int[b.length];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (bufs.length - 1);
            b[i] = bufs[from];
            c[i] = counts[from];
        }
        bufs = b;
        counts = c;
        head = 0;
    }

}

package org.eveflow.aggregate;

/**
 * When a window's arrays grow, and by how much: an array grows when only {@code slack}/64 of it is
 * still free, to half as much again. Stripes use different slacks (0–15) so that, with evenly spread
 * keys, they do not all grow their arrays at the same moment: that much new memory at once made one
 * young collection copy ~100 MB at 1M keys. Half as much again, not double: doubling left up to half
 * of a large window's arrays unused, 170 MB of peak RSS at 1M keys. Immutable, thread-safe.
 *
 * @param slack sixty-fourths of an array still free when it grows (0–15)
 */
record Growth(int slack) {
    /** The most a stripe's slack may be: 15/64 of an array unused at most. */
    static final int MAX_SLACK = 15;

    Growth {
        if (slack < 0 || slack > MAX_SLACK) {
            throw new IllegalArgumentException("slack " + slack);
        }
    }

    /** How much of an array of {@code length} is filled before it grows. */
    int usable(int length) {
        return length - (int) ((long) length * slack / 64);
    }

    /** Whether an array of {@code length} with {@code used} units in use must grow to take {@code more}. */
    boolean mustGrow(int used, int more, int length) {
        return used + more > usable(length);
    }

    /** The next length of an array of {@code length}: half as much again. */
    static int grown(int length) {
        return length + Math.max(1, length / 2);
    }

    /** The length of an array in which {@code units} fit before it grows. */
    int beforeGrowing(int units) {
        return (int) ((long) units * 64 / (64 - slack)) + 1;
    }
}

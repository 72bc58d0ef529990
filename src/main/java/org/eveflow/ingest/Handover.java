package org.eveflow.ingest;

import io.netty.util.AttributeKey;

/**
 * A connection's input as it passes from one eveflow to the next across a restart: the bytes the old
 * one read after the last newline (the start of a line whose rest is still in the socket) and whether
 * it was discarding an oversized line. Fired through a connection's pipeline as a user event: the
 * framer fills it in ({@link #take}) when the input leaves, and takes it back ({@link #resume}) when the
 * next instance adopts the connection, before its first read. Every line is then read exactly once,
 * whole, by one of the two. Confined to the connection's event loop.
 */
public final class Handover {
    /** Set on a connection whose input is being handed over: nothing may turn its reading back on. */
    static final AttributeKey<Boolean> LEAVING = AttributeKey.valueOf("eveflow.handover");

    private byte[] tail;
    private boolean discarding;
    private final boolean leaving;

    private Handover(byte[] tail, boolean discarding, boolean leaving) {
        this.tail = tail;
        this.discarding = discarding;
        this.leaving = leaving;
    }

    /** The event that asks the framer for what it holds, at a handover. */
    static Handover take() {
        return new Handover(new byte[0], false, true);
    }

    /** The event that gives an adopted connection's framer what the previous instance held. */
    public static Handover resume(byte[] tail, boolean discarding) {
        return new Handover(tail.clone(), discarding, false);
    }

    /** The connection is leaving (its framer fills this in); else it arrives (its framer takes this). */
    boolean leaving() {
        return leaving;
    }

    /** Filled in by the framer of a leaving connection. */
    void held(byte[] bytes, boolean discardingOversized) {
        this.tail = bytes;
        this.discarding = discardingOversized;
    }

    public byte[] tail() {
        return tail.clone();
    }

    public boolean discarding() {
        return discarding;
    }

    /**
     * Where the input connections are kept for the next instance (systemd's file-descriptor store, in the
     * daemon). Each connection goes in when it is admitted ({@link #store}), so that it survives a crash
     * too, and comes out when this instance ends it ({@link #remove}); at a restart's stop {@link #keep}
     * adds what the framer held. Called from the event loops and the stopping thread: thread-safe.
     */
    public interface Keeper {
        /** Keeps the connected socket {@code fd} under {@code name} (a duplicate: this instance reads on). */
        void store(int fd, String name);

        /** This instance ended the connection {@code name}: the store lets it go too. */
        void remove(String name);

        /**
         * Keeps the connected socket {@code fd} for the next instance under {@code name} with what the
         * framer held; false if it could not (the connection is then closed, as at a plain stop).
         */
        boolean keep(int fd, String name, Handover held);
    }
}

package org.eveflow.daemon;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (stop), SIGHUP (reload) and the daemon's own events (an output failed) are queued for the main thread instead of ending the
 * JVM, so the daemon stops in order and exits 0 (not 143) and reloads between other work.
 * Thread-safe.
 */
public final class Signals {
    private static Signals installed;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    /**
     * The process's handlers, installed on the first call (Main.main calls it first thing for
     * {@code run}, so signals that arrive while the daemon starts are queued, not the JVM's exit).
     */
    public static synchronized Signals installed() {
        if (installed == null) {
            installed = new Signals().install();
        }
        return installed;
    }

    public Signals install() {
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            Signal.handle(new Signal(name), s -> received.add("SIG" + s.getName()));
        }
        return this;
    }

    /** Queues an event of the daemon's own for the main thread, e.g. {@link #OUTPUT_FAILED}. */
    public void post(String event) {
        received.add(event);
    }

    /** Posted when an output spent its reconnect budget: the daemon stops and exits 1. */
    public static final String OUTPUT_FAILED = "output failed";

    /** Blocks until a signal or a posted event arrives; returns its name: SIGTERM, SIGINT, SIGHUP or a posted one. */
    public String await() throws InterruptedException {
        return received.take();
    }
}

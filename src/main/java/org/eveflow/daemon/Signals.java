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
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

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

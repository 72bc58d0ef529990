package org.eveflow.daemon;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (stop) and SIGHUP (reload) are queued for the main thread instead of ending the
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

    /** Blocks until a signal arrives; returns its name: SIGTERM, SIGINT or SIGHUP. */
    public String await() throws InterruptedException {
        return received.take();
    }
}

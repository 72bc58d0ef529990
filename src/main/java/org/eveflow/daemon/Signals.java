package org.eveflow.daemon;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT end {@link #await()} instead of the JVM, so the daemon stops in order and exits
 * 0 (not 143). Thread-safe.
 */
public final class Signals {
    private final CountDownLatch stop = new CountDownLatch(1);
    private volatile String received;

    public Signals install() {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                received = "SIG" + s.getName();
                stop.countDown();
            });
        }
        return this;
    }

    /** Blocks until a stop signal arrives; returns its name. */
    public String await() throws InterruptedException {
        stop.await();
        return received;
    }
}

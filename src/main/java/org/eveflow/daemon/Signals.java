package org.eveflow.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (stop), SIGHUP (reload) and the daemon's own events (an output failed) are queued for the main thread instead of ending the
 * JVM, so the daemon stops in order and exits 0 (not 143) and reloads between other work. A signal
 * that whatever started the JVM ignored (nohup ignores SIGHUP) stays ignored: the JVM installs no
 * handler for it, which {@link #ignored} names so that the daemon can say so. Thread-safe.
 */
public final class Signals {
    private static Signals installed;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final List<String> ignored = new ArrayList<>();

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
            SignalHandler before = Signal.handle(new Signal(name), s -> received.add("SIG" + s.getName()));
            if (before == SignalHandler.SIG_IGN) { // ignored when the JVM started: it stays ignored
                ignored.add("SIG" + name);
            }
        }
        return this;
    }

    /** The signals ignored when the process started, which reach no handler ("SIGHUP" under nohup). */
    public synchronized List<String> ignored() {
        return List.copyOf(ignored);
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

package org.eveflow.log;

import java.util.function.IntConsumer;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * The end of the daemon for an error it cannot run on from: out of heap, a stack overflow, any other
 * {@link Error} (not a full direct memory, which the outputs and the flush handle by dropping and
 * counting), and anything that escapes a thread. A thread that died would leave a daemon that stops
 * reading, flushing or reporting without a word, and a final flush after such an error cannot be
 * trusted; so the message goes to stderr and the log, and the JVM halts with exit code 1 at once,
 * whatever its flags, for systemd's {@code Restart=on-failure}: the unit's
 * {@code -XX:+CrashOnOutOfMemoryError} does the same for the heap. Thread-safe.
 */
public final class Fatal {
    /**
     * Marks a log event after which the process exits 1 (a failed start, a spent reconnect budget, a
     * fatal error): FEVER's log says {@code fatal} there, and so do eveflow's FEVER-shaped logs.
     */
    public static final Marker MARKER = MarkerFactory.getMarker("FATAL");

    /** What ends the process; tests replace it. */
    private static volatile IntConsumer exit = code -> Runtime.getRuntime().halt(code);

    private Fatal() {
    }

    /** Every thread's uncaught throwable ends the daemon (call once, before threads start). */
    public static void handleUncaught() {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> die("thread " + t.getName(), e));
    }

    /**
     * For a throwable a catch site caught (it handles the others itself): ends the daemon if it is
     * fatal, else returns.
     */
    public static void ifFatal(String where, Throwable t) {
        if (isFatal(t)) {
            die(where, t);
        }
    }

    /** Runs {@code task}, ending the daemon if it throws a fatal error (Netty's executors log and swallow them). */
    public static Runnable guarded(String where, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Error e) {
                ifFatal(where, e);
                throw e;
            }
        };
    }

    /** An Error, unless it says that direct memory is full (Netty's or the JDK's message for it). */
    static boolean isFatal(Throwable t) {
        if (!(t instanceof Error)) {
            return false;
        }
        String m = String.valueOf(t.getMessage());
        return !(t instanceof OutOfMemoryError && (m.contains("direct buffer memory") || m.contains("direct memory")));
    }

    /** Tells stderr and the log why, then halts with exit code 1. */
    public static void die(String where, Throwable t) {
        String hint = t instanceof OutOfMemoryError ? "; the heap is too small for this load: raise -Xmx or lower"
                + " aggregate.max-keys (docs/operations.md, Memory sizing)" : "";
        String message = "eveflow: fatal: " + t + " in " + where + hint
                + "; stopping at once with exit code 1 (systemd's Restart=on-failure starts it again)";
        try {
            System.err.println(message);
            System.err.flush();
            LoggerFactory.getLogger(Fatal.class).error(MARKER, message, t);
        } catch (Throwable reportingFailed) {
            // out of memory even for the message: the exit code still says it
        } finally {
            exit.accept(1);
        }
    }

    /** For tests: what ends the process instead of halting it; returns the previous one. */
    static IntConsumer exitWith(IntConsumer next) {
        IntConsumer previous = exit;
        exit = next;
        return previous;
    }
}

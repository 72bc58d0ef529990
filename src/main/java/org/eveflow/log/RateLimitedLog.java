package org.eveflow.log;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A warning (or error) that is logged at most once per interval; the next logged line says how many were
 * suppressed in between. Counting is the caller's job: this only protects the log. Thread-safe.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    public void warn(String format, Object... args) {
        log(Level.WARN, Map.of(), format, args);
    }

    /** As {@link #warn}, with key-value pairs for structured logs (FEVER's {@code output}, {@code retry}). */
    public void warn(Map<String, ?> fields, String format, Object... args) {
        log(Level.WARN, fields, format, args);
    }

    /** As {@link #warn}, at ERROR (the same interval and suppression count as warnings of this log). */
    public void error(String format, Object... args) {
        log(Level.ERROR, Map.of(), format, args);
    }

    private void log(Level level, Map<String, ?> fields, String format, Object... args) {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextAllowed.compareAndSet(next, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return;
        }
        long s = suppressed.getAndSet(0);
        LoggingEventBuilder event = log.atLevel(level);
        for (Map.Entry<String, ?> f : fields.entrySet()) {
            event = event.addKeyValue(f.getKey(), f.getValue());
        }
        if (s > 0) {
            event.log(format + " ({} similar messages suppressed)", append(args, s));
        } else {
            event.log(format, args);
        }
    }

    private static Object[] append(Object[] args, Object extra) {
        Object[] a = Arrays.copyOf(args, args.length + 1);
        a[args.length] = extra;
        return a;
    }
}

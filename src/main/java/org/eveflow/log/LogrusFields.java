package org.eveflow.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * What FEVER's logger (logrus) would write for a log event: its level name ({@code fatal} for an event
 * marked {@link Fatal#MARKER}), its time (RFC 3339, local offset) and its fields in key order, which is
 * the order logrus writes them: the event's key-value pairs, FEVER's {@code domain} for the part of
 * eveflow that has one in FEVER (the flow aggregator, the forwarder, the stats), and {@code error} for
 * an exception. Stateless, thread-safe.
 */
final class LogrusFields {
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneId.systemDefault());
    /** eveflow's package to FEVER's domain for the same work (FEVER's socket input has none). */
    private static final Map<String, String> DOMAINS = Map.of(
            "org.eveflow.aggregate", "flow_aggregate",
            "org.eveflow.output", "forward",
            "org.eveflow.stats", "statscollect");

    private LogrusFields() {
    }

    /** logrus's level names. */
    static String level(ILoggingEvent event) {
        if (event.getMarkerList() != null) {
            for (Marker m : event.getMarkerList()) {
                if (m.contains(Fatal.MARKER)) {
                    return "fatal";
                }
            }
        }
        return switch (event.getLevel().toInt()) {
            case Level.ERROR_INT -> "error";
            case Level.WARN_INT -> "warning";
            case Level.INFO_INT -> "info";
            case Level.DEBUG_INT -> "debug";
            default -> "trace";
        };
    }

    static String time(ILoggingEvent event) {
        return RFC3339.format(Instant.ofEpochMilli(event.getTimeStamp()));
    }

    /** The event's fields, sorted by key: its key-value pairs, its domain if any, its exception. */
    static Map<String, Object> fields(ILoggingEvent event) {
        Map<String, Object> f = new TreeMap<>();
        String logger = event.getLoggerName();
        int dot = logger.lastIndexOf('.');
        String domain = dot < 0 ? null : DOMAINS.get(logger.substring(0, dot));
        if (domain != null) {
            f.put("domain", domain);
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                f.put(kv.key, kv.value);
            }
        }
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            f.put("error", t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        }
        return f;
    }
}

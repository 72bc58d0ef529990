package org.eveflow.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log event in the shape of FEVER's logrus JSON formatter, so log monitors built
 * for FEVER keep working: {@code level} (logrus's names: debug, info, warning, error), {@code msg} (the
 * formatted message), {@code time} (RFC 3339, local offset), then the event's key-value pairs as
 * top-level keys (e.g. {@code agg_flows}, {@code in_flows} of a flush), {@code logger}, {@code thread}
 * and, with an exception, {@code error}. Thread-safe (stateless but for Jackson's factory).
 */
public final class FeverJsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneId.systemDefault());

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("level", level(event.getLevel()));
            g.writeStringField("msg", event.getFormattedMessage());
            g.writeStringField("time", RFC3339.format(Instant.ofEpochMilli(event.getTimeStamp())));
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    g.writeFieldName(kv.key);
                    if (kv.value instanceof Number n && (n instanceof Long || n instanceof Integer)) {
                        g.writeNumber(n.longValue());
                    } else if (kv.value instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else {
                        g.writeString(String.valueOf(kv.value));
                    }
                }
            }
            String logger = event.getLoggerName();
            g.writeStringField("logger", logger.substring(logger.lastIndexOf('.') + 1));
            g.writeStringField("thread", event.getThreadName());
            IThrowableProxy t = event.getThrowableProxy();
            if (t != null) {
                g.writeStringField("error", t.getClassName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** logrus's level names. */
    static String level(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "error";
            case Level.WARN_INT -> "warning";
            case Level.INFO_INT -> "info";
            case Level.DEBUG_INT -> "debug";
            default -> "trace";
        };
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}

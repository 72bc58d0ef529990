package org.eveflow.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One line per log event as FEVER's logrus text formatter writes it to a file:
 * {@code time="2026-12-06T14:00:00+01:00" level=info msg="flushing events" agg_flows=303
 * domain=flow_aggregate in_flows=1782}: time, level and message, then the fields in key order
 * ({@link LogrusFields}); a value is quoted (Go's %q) unless it is made only of letters, digits and
 * {@code -._/@^+}. Thread-safe (stateless).
 */
public final class FeverTextEncoder extends EncoderBase<ILoggingEvent> {
    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(160);
        append(b, "time", LogrusFields.time(event));
        append(b, "level", LogrusFields.level(event));
        String msg = event.getFormattedMessage();
        if (msg != null && !msg.isEmpty()) {
            append(b, "msg", msg);
        }
        for (Map.Entry<String, Object> f : LogrusFields.fields(event).entrySet()) {
            append(b, f.getKey(), String.valueOf(f.getValue()));
        }
        return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder b, String key, String value) {
        if (b.length() > 0) {
            b.append(' ');
        }
        b.append(key).append('=');
        if (needsQuoting(value)) {
            quote(b, value);
        } else {
            b.append(value);
        }
    }

    /** logrus's rule: anything but letters, digits and -._/@^+ is quoted. */
    static boolean needsQuoting(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+')) {
                return true;
            }
        }
        return false;
    }

    /** Go's %q: double quotes, with backslash, quote and control characters escaped. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}

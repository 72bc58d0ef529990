package org.eveflow.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JSON object per log event as FEVER's logrus JSON formatter writes it, so log monitors built for
 * FEVER keep working: every key in sorted order (Go sorts a map's keys): the event's fields
 * ({@link LogrusFields}: its key-value pairs such as a flush's {@code agg_flows} and {@code in_flows},
 * FEVER's {@code domain}, {@code output} and {@code retry} where FEVER has them, {@code error}),
 * {@code level} (logrus's names: debug, info, warning, error, fatal), {@code msg} and {@code time}
 * (RFC 3339, local offset). Thread-safe (stateless but for Jackson's factory).
 */
public final class FeverJsonEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Map<String, Object> all = new TreeMap<>(LogrusFields.fields(event));
        all.put("level", LogrusFields.level(event));
        all.put("msg", event.getFormattedMessage());
        all.put("time", LogrusFields.time(event));
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : all.entrySet()) {
                g.writeFieldName(e.getKey());
                Object v = e.getValue();
                if (v instanceof Long || v instanceof Integer) {
                    g.writeNumber(((Number) v).longValue());
                } else if (v instanceof Boolean b) {
                    g.writeBoolean(b);
                } else {
                    g.writeString(String.valueOf(v));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }
}

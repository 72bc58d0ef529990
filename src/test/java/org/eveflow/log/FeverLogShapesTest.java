package org.eveflow.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/**
 * The log lines FEVER's monitors match, as FEVER 1.3.7 (logrus) writes them: a flush, a failed
 * connect with its retry, the fatal end of a spent reconnect budget; in the text shape of
 * {@code --logfile} and the JSON shape of {@code --logjson}. Exact bytes.
 */
class FeverLogShapesTest {
    private static final long T = 1_765_029_600_000L; // 2025-12-06T14:00:00Z
    private TimeZone saved;

    @BeforeEach
    void utc() {
        saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @AfterEach
    void restore() {
        TimeZone.setDefault(saved);
    }

    private static LoggingEvent event(String logger, Level level, String msg, Object... kv) {
        LoggingEvent e = new LoggingEvent();
        e.setLoggerContext(new LoggerContext());
        e.setLoggerName(logger);
        e.setLevel(level);
        e.setMessage(msg);
        e.setTimeStamp(T);
        for (int i = 0; i < kv.length; i += 2) {
            e.addKeyValuePair(new KeyValuePair((String) kv[i], kv[i + 1]));
        }
        return e;
    }

    private static String text(LoggingEvent e) {
        return new String(new FeverTextEncoder().encode(e), StandardCharsets.UTF_8);
    }

    private static String json(LoggingEvent e) {
        return new String(new FeverJsonEncoder().encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void aFlushIsFeversLine() {
        LoggingEvent flush = event("org.eveflow.aggregate.FlushTask", Level.INFO, "flushing events",
                "agg_flows", 303L, "in_flows", 1782L);
        assertThat(text(flush)).isEqualTo("time=\"2025-12-06T14:00:00Z\" level=info msg=\"flushing events\""
                + " agg_flows=303 domain=flow_aggregate in_flows=1782\n");
        assertThat(json(flush)).isEqualTo("{\"agg_flows\":303,\"domain\":\"flow_aggregate\",\"in_flows\":1782,"
                + "\"level\":\"info\",\"msg\":\"flushing events\",\"time\":\"2025-12-06T14:00:00Z\"}\n");
    }

    @Test
    void aFailedConnectHasTheOutputAndTheRetry() {
        LoggingEvent retry = event("org.eveflow.output.SocketForwarder", Level.WARN,
                "error connecting to output socket, retrying: no listener", "output", "default", "retry", 2,
                "maxretries", 5);
        assertThat(text(retry)).isEqualTo("time=\"2025-12-06T14:00:00Z\" level=warning msg=\"error connecting to"
                + " output socket, retrying: no listener\" domain=forward maxretries=5 output=default retry=2\n");
        assertThat(json(retry)).isEqualTo("{\"domain\":\"forward\",\"level\":\"warning\",\"maxretries\":5,"
                + "\"msg\":\"error connecting to output socket, retrying: no listener\",\"output\":\"default\","
                + "\"retry\":2,\"time\":\"2025-12-06T14:00:00Z\"}\n");
    }

    @Test
    void whatEndsTheProcessIsFatal() {
        LoggingEvent end = event("org.eveflow.output.SocketForwarder", Level.ERROR,
                "permanent error connecting to output socket: x", "output", "siem", "retries", 6);
        end.addMarker(Fatal.MARKER);
        assertThat(text(end)).isEqualTo("time=\"2025-12-06T14:00:00Z\" level=fatal msg=\"permanent error connecting"
                + " to output socket: x\" domain=forward output=siem retries=6\n");
        assertThat(json(end)).contains("\"level\":\"fatal\"");
        LoggingEvent error = event("org.eveflow.Main", Level.ERROR, "an error");
        assertThat(text(error)).isEqualTo("time=\"2025-12-06T14:00:00Z\" level=error msg=\"an error\"\n");
    }

    @Test
    void valuesAreQuotedAsLogrusQuotesThem() {
        LoggingEvent e = event("org.eveflow.Main", Level.INFO, "plain", "path", "/run/eveflow/eve.sock",
                "odd", "a \"b\"\\\n", "empty", "");
        assertThat(text(e)).isEqualTo("time=\"2025-12-06T14:00:00Z\" level=info msg=plain empty="
                + " odd=\"a \\\"b\\\"\\\\\\n\" path=/run/eveflow/eve.sock\n");
        assertThat(List.of("a-b.c_d/e@f^g+h", "x y", "k=v")).extracting(FeverTextEncoder::needsQuoting)
                .containsExactly(false, true, true);
    }
}

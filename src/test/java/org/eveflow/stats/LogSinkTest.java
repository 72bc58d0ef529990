package org.eveflow.stats;

import org.eveflow.counters.Counters;
import org.eveflow.counters.OutputCounters;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One info line per stats interval, outputs included; it names every loss or refusal counter that is
 * not 0, and only those.
 */
class LogSinkTest {
    private static String infoLine(Map<String, Long> global) {
        Logger log = (Logger) LoggerFactory.getLogger("org.eveflow.stats");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        try {
            new LogSink().publish(new Sample(0, global, Map.of()));
        } finally {
            log.detachAppender(lines);
        }
        return lines.list.get(0).getFormattedMessage();
    }

    @Test
    void lossCountersAppearWhenNotZero() {
        Map<String, Long> g = new LinkedHashMap<>(new Counters().snapshot());
        assertThat(infoLine(g)).doesNotContain("flows_lost", "connections_refused", "aggregates_lost");
        g.put("flows_lost", 3L);
        g.put("connections_refused", 2L);
        g.put("connections_refused_uid", 1L);
        g.put("connections_evicted_idle", 4L);
        g.put("aggregates_lost", 5L);
        g.put("src_ports_unlisted", 6L);
        g.put("flows_saturated", 7L);
        g.put("stats_points_dropped", 8L);
        assertThat(infoLine(g)).contains(" flows_lost=3", " flows_saturated=7", " src_ports_unlisted=6",
                " aggregates_lost=5", " connections_refused=2", " connections_refused_uid=1",
                " connections_evicted_idle=4", " stats_points_dropped=8");
    }

    @Test
    void oneLinePerIntervalWithEachOutput() {
        Logger log = (Logger) LoggerFactory.getLogger("org.eveflow.stats");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        Map<String, Map<String, Long>> outputs = new LinkedHashMap<>();
        Map<String, Long> siem = new LinkedHashMap<>(new Counters().newOutput("x").snapshot());
        siem.put("output_offered", 51L);
        siem.put("output_written", 50L);
        siem.put("output_buffer_length", 1L);
        siem.put("output_reconnects", 2L);
        outputs.put("siem", siem);
        outputs.put("archive", new LinkedHashMap<>(new Counters().newOutput("x").snapshot()));
        try {
            new LogSink().publish(new Sample(0, new Counters().snapshot(), outputs));
        } finally {
            log.detachAppender(lines);
        }
        assertThat(lines.list).hasSize(1);
        assertThat(lines.list.get(0).getFormattedMessage()).endsWith(" connections_active=0"
                + " output=siem output_offered=51 output_written=50 output_dropped=0 output_buffer_length=1"
                + " output_connected=0 output_disabled=0 output_reconnects=2"
                + " output=archive output_offered=0 output_written=0 output_dropped=0 output_buffer_length=0"
                + " output_connected=0 output_disabled=0");
    }
}

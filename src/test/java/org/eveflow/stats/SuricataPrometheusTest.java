package org.eveflow.stats;

import org.eveflow.counters.Counters;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Suricata's series as Prometheus expects them: the latest record replaces the last whole (a thread
 * that is gone is gone), types by what the value does, names valid for the format, and a cap on the
 * series that counts what it leaves out.
 */
class SuricataPrometheusTest {
    private final Counters counters = new Counters();

    private static SuricataStats.Point point(String thread, Object... kv) {
        Map<String, Double> f = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            f.put((String) kv[i], ((Number) kv[i + 1]).doubleValue());
        }
        return new SuricataStats.Point(thread, f);
    }

    private static String exposition(SuricataPrometheus s) throws Exception {
        PrometheusFamilies f = new PrometheusFamilies();
        s.addTo(f);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, f.build());
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void theLatestRecordReplacesTheLastWhole() throws Exception {
        SuricataPrometheus s = new SuricataPrometheus(100, counters);
        s.offer(List.of(point("total", "decoder_pkts", 10, "flow_memuse", 5, "flow_mgr_rows_per_sec", 3,
                        "uptime", 8, "flow_total", 4),
                point("W#01", "decoder_pkts", 6), point(null, "tcp_memcap_pressure", 2)));
        String first = exposition(s);
        assertThat(first).contains("suricata_decoder_pkts_total{thread=\"total\"} 10.0",
                "suricata_decoder_pkts_total{thread=\"W#01\"} 6.0", "suricata_flow_memuse{thread=\"total\"} 5.0",
                "suricata_flow_mgr_rows_per_second{thread=\"total\"} 3.0", "suricata_uptime{thread=\"total\"} 8.0",
                "suricata_flow_total{thread=\"total\"} 4.0", "suricata_tcp_memcap_pressure 2.0",
                "# TYPE suricata_flow_memuse gauge", "# TYPE suricata_decoder_pkts_total counter",
                "# TYPE suricata_flow_total counter");
        s.offer(List.of(point("total", "decoder_pkts", 3))); // Suricata restarted with one thread fewer
        String second = exposition(s);
        assertThat(second).contains("suricata_decoder_pkts_total{thread=\"total\"} 3.0")
                .doesNotContain("W#01", "memuse");
    }

    @Test
    void seriesBeyondTheCapAreLeftOutAndCounted() throws Exception {
        SuricataPrometheus s = new SuricataPrometheus(3, counters);
        s.offer(List.of(point("total", "a", 1, "b", 2), point("W#01", "a", 1, "b", 2), point("W#02", "a", 1)));
        assertThat(exposition(s)).contains("suricata_a_total{thread=\"W#01\"} 1.0").doesNotContain("W#02")
                .doesNotContain("suricata_b_total{thread=\"W#01\"}");
        assertThat(counters.prometheusSeriesDropped.sum()).isEqualTo(2);
    }
}

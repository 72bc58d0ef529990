package org.eveflow.stats;

import org.eveflow.counters.Counters;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eveflow.config.Config;
import org.eveflow.testing.Configs;
import org.junit.jupiter.api.Test;

/**
 * Suricata's stats records become the points Telegraf's inputs.suricata (metric version 1) writes for
 * them (the cases of its own tests, and Suricata 7's layout), numbers only, every value not written
 * counted.
 */
class SuricataStatsTest {
    private static final Config.SuricataStats ON = suricata(true, "suricata", "_", 2000);
    private final Counters counters = new Counters();
    private final List<SuricataStats.Point> written = new ArrayList<>();
    private final StatsReporter reporter = new StatsReporter(counters, new StatsSink() {
        @Override
        public void publish(Sample sample) {
        }

        @Override
        public void suricata(long epochMillis, List<SuricataStats.Point> points) {
            written.addAll(points);
        }

        @Override
        public void close(long deadlineNanos) {
        }
    });

    private static String suricataYaml(boolean enabled, String measurement, String delimiter, int maxFields) {
        return "  suricata:\n    enabled: " + enabled + "\n    measurement: " + measurement + "\n    delimiter: \""
                + delimiter + "\"\n    max-fields: " + maxFields + "\n";
    }

    private static Config.SuricataStats suricata(boolean enabled, String measurement, String delimiter, int maxFields) {
        return Configs.of("stats:\n" + suricataYaml(enabled, measurement, delimiter, maxFields)).stats().suricata();
    }

    private static Config.Stats stats(Config.SuricataStats s, boolean influx) {
        return Configs.of("stats:\n" + suricataYaml(s.enabled(), s.measurement(), s.delimiter(), s.maxFields())
                + (influx ? "  influx:\n    url: http://127.0.0.1:8086\n    api: v1\n    database: db\n"
                + "    buffer-points: 100\n    timeout: 1s\n" : "")).stats();
    }

    private List<SuricataStats.Point> read(String line, Config.SuricataStats c) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return new SuricataStats(stats(c, true), counters, reporter).read(b, 0, b.length, c);
    }

    private static Map<String, Double> fields(Object... nameValue) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], ((Number) nameValue[i + 1]).doubleValue());
        }
        return m;
    }

    @Test
    void totalsAreOnePointTaggedTotalWithNestedNamesJoined() {
        List<SuricataStats.Point> p = read("{\"timestamp\":\"2017-03-06T07:43:39.000397+0000\",\"event_type\":\"stats\","
                + "\"stats\":{\"capture\":{\"kernel_packets\":905344474,\"kernel_drops\":78355440,"
                + "\"kernel_packets_delta\":2376742,\"kernel_drops_delta\":82049}}}", ON);
        assertThat(p).containsExactly(new SuricataStats.Point("total", fields("capture_kernel_packets", 905344474,
                "capture_kernel_drops", 78355440, "capture_kernel_packets_delta", 2376742,
                "capture_kernel_drops_delta", 82049)));
    }

    @Test
    void eachThreadIsAPointOfItsOwnAndGlobalIsUntaggedAndAPointWithoutFieldsIsNotWritten() {
        List<SuricataStats.Point> p = read("{\"event_type\":\"stats\",\"stats\":{\"threads\":{"
                + "\"W#05-wlp4s0\":{\"capture\":{\"kernel_packets\":905344474,\"kernel_drops\":78355440}},"
                + "\"Global\":{\"flow\":{\"memuse\":7094464}},\"FM#01\":{}}}}", suricata(true, "s", ".", 10));
        assertThat(p).containsExactly(
                new SuricataStats.Point("W#05-wlp4s0", fields("capture.kernel_packets", 905344474,
                        "capture.kernel_drops", 78355440)),
                new SuricataStats.Point(null, fields("flow.memuse", 7094464)));
    }

    @Test
    void arrayElementsAreReadUnderTheArraysNameAndOnlyNumbersAreFieldsTheRestCounted() {
        // Suricata 7: detect.engines is an array of objects, last_reload a string
        List<SuricataStats.Point> p = read("{\"event_type\":\"stats\",\"stats\":{\"uptime\":12,\"detect\":{\"alert\":0,"
                + "\"engines\":[{\"id\":0,\"last_reload\":\"2021-06-08T06:33:05.084872+0000\",\"rules_loaded\":22712,"
                + "\"rules_failed\":0}]},\"x\":{\"ok\":true,\"none\":null,\"big\":1e400,\"f\":0.25,\"neg\":-3}}}", ON);
        assertThat(p).containsExactly(new SuricataStats.Point("total", fields("uptime", 12, "detect_alert", 0,
                "detect_engines_id", 0, "detect_engines_rules_loaded", 22712, "detect_engines_rules_failed", 0,
                "x_f", 0.25, "x_neg", -3)));
        assertThat(counters.suricataStatsValuesSkipped.sum()).as("last_reload, true, null, 1e400").isEqualTo(4);
    }

    @Test
    void fieldsBeyondTheCapAreDroppedAndCounted() {
        List<SuricataStats.Point> p = read("{\"stats\":{\"a\":1,\"b\":2,\"c\":3,\"a\":4,\"d\":5,\"e\":6}}",
                suricata(true, "suricata", "_", 3));
        assertThat(p).containsExactly(new SuricataStats.Point("total", fields("a", 4, "b", 2, "c", 3)));
        assertThat(counters.suricataStatsFieldsDropped.sum()).isEqualTo(2);
    }

    @Test
    void aRecordWhoseStatsIsNotAnObjectIsCountedMalformed() {
        assertThat(read("{\"event_type\":\"stats\",\"stats\":42}", ON)).isNull();
        assertThat(read("{\"event_type\":\"stats\"}", ON)).isNull();
        assertThat(read("{\"event_type\":\"stats\",\"stats\":{\"a\":", ON)).isNull();
        assertThat(counters.suricataStatsMalformed.sum()).isEqualTo(3);
    }

    @Test
    void recordsGoToTheSinkOnlyWhenSwitchedOnAndInfluxIsConfigured() {
        byte[] line = "{\"event_type\":\"stats\",\"stats\":{\"decoder\":{\"pkts\":5}}}".getBytes(StandardCharsets.UTF_8);
        SuricataStats s = new SuricataStats(stats(ON, false), counters, reporter);
        assertThat(s.enabled()).isFalse();
        s.offer(line, 0, line.length);
        s.reconfigure(stats(suricata(false, "suricata", "_", 2000), true));
        assertThat(s.enabled()).isFalse();
        s.offer(line, 0, line.length);
        assertThat(written).isEmpty();
        s.reconfigure(stats(ON, true));
        s.offer(line, 0, line.length);
        assertThat(written).containsExactly(new SuricataStats.Point("total", fields("decoder_pkts", 5)));
        assertThat(counters.suricataStatsRecords.sum()).isEqualTo(1);
    }

    @Test
    void anUnexpectedErrorIsCountedAndDoesNotReachTheCaller() {
        StatsReporter failing = new StatsReporter(counters, new StatsSink() {
            @Override
            public void publish(Sample sample) {
            }

            @Override
            public void suricata(long epochMillis, List<SuricataStats.Point> points) {
                throw new IllegalStateException("a bug in a sink");
            }

            @Override
            public void close(long deadlineNanos) {
            }
        });
        byte[] line = "{\"event_type\":\"stats\",\"stats\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8);
        new SuricataStats(stats(ON, true), counters, failing).offer(line, 0, line.length);
        assertThat(counters.suricataStatsMalformed.sum()).isEqualTo(1);
    }
}

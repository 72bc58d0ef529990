package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eveflow.stats.Sample;
import org.junit.jupiter.api.Test;

class StatusLineTest {
    @Test
    void ratesOverTheIntervalAndLossesSoFar() {
        Sample prev = new Sample(10_000, Map.of("lines_received", 1_000L, "flows_aggregated", 500L), Map.of());
        Sample now = new Sample(12_000, Map.of("lines_received", 21_000L, "flows_aggregated", 8_500L,
                "aggregates_emitted", 300L, "keys_in_table", 77L, "outputs_dropped", 5L, "lines_malformed", 2L,
                "flows_refused", 1L), Map.of());
        assertThat(StatusLine.between(prev, now)).isEqualTo("STATUS=10000 lines/s, 4000 flows/s, 150 aggregates/s;"
                + " 77 keys; dropped 5, malformed 2, refused flows 1");
    }
}

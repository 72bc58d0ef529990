package org.eveflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms,500", "10s,10000", "1m,60000", "1m0s,60000", "1h30m,5400000", "1.5s,1500", "0,0",
        "2h45m30.5s,9930500", "100us,0", "+3s,3000"})
    void parsesGoSyntax(String text, long millis) {
        assertThat(Durations.parse(text).toMillis()).isEqualTo(millis);
    }

    @Test
    void microAndNanoseconds() {
        assertThat(Durations.parse("1500ns")).isEqualTo(Duration.ofNanos(1500));
        assertThat(Durations.parse("3µs")).isEqualTo(Duration.ofNanos(3000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "60", "1x", "-1s", "1m 0s", "s", "1.2.3s", "1d"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"60000,1m0s", "500,500ms", "5400000,1h30m0s", "1500,1.5s", "10000,10s"})
    void formatsLikeGo(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}

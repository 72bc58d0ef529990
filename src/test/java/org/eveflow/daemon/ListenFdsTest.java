package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ListenFdsTest {
    @Test
    void fdThreeOnlyWhenPassedToThisVeryProcess() {
        assertThat(ListenFds.inherited(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "42"), 42)).isEqualTo(OptionalInt.of(3));
        assertThat(ListenFds.inherited(Map.of("LISTEN_FDS", "2", "LISTEN_PID", "42"), 42)).isEqualTo(OptionalInt.of(3));
        assertThat(ListenFds.inherited(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "41"), 42)).isEmpty(); // our parent's
        assertThat(ListenFds.inherited(Map.of("LISTEN_FDS", "0", "LISTEN_PID", "42"), 42)).isEmpty();
        assertThat(ListenFds.inherited(Map.of("LISTEN_FDS", "x", "LISTEN_PID", "42"), 42)).isEmpty();
        assertThat(ListenFds.inherited(Map.of("LISTEN_FDS", "1"), 42)).isEmpty();
        assertThat(ListenFds.inherited(Map.of(), 42)).isEmpty();
    }
}

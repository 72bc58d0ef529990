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

    /** After a restart systemd passes the stored connections beside the socket unit's listener, in any order. */
    @Test
    void handedOverConnectionsAreToldApartFromTheListenerByName() {
        Map<String, String> env = Map.of("LISTEN_FDS", "3", "LISTEN_PID", "42",
                "LISTEN_FDNAMES", "eveflow-conn-a1:eveflow.socket:eveflow-conn-b2");
        assertThat(ListenFds.inherited(env, 42)).isEqualTo(OptionalInt.of(4));
        assertThat(ListenFds.handedOver(env, 42)).containsExactly(new ListenFds.Connection(3, "eveflow-conn-a1"),
                new ListenFds.Connection(5, "eveflow-conn-b2"));
        Map<String, String> onlyConnections = Map.of("LISTEN_FDS", "1", "LISTEN_PID", "42",
                "LISTEN_FDNAMES", "eveflow-conn-a1"); // eveflow binds its own socket (no socket unit)
        assertThat(ListenFds.inherited(onlyConnections, 42)).isEmpty();
        assertThat(ListenFds.handedOver(onlyConnections, 42)).hasSize(1);
        assertThat(ListenFds.handedOver(Map.of("LISTEN_FDS", "2", "LISTEN_PID", "42"), 42)).isEmpty(); // no names
        assertThat(ListenFds.handedOver(Map.of("LISTEN_FDS", "1", "LISTEN_PID", "41",
                "LISTEN_FDNAMES", "eveflow-conn-a1"), 42)).isEmpty();
    }
}

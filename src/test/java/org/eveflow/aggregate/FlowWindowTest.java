package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.eveflow.event.EveEvent;
import org.junit.jupiter.api.Test;

class FlowWindowTest {

    private static void add(FlowWindow w, String src, String dst, int port, String ts, int srcPort) {
        int h = FlowKey.hash(src, dst, port);
        int e = w.find(h, src, dst, port, "");
        if (e < 0) {
            e = w.insert(h, src, dst, port, "");
        }
        w.add(e, new EveEvent("flow", ts, src, srcPort, dst, port, 1, 2, 3, 4));
        w.listPort(e, srcPort, Integer.MAX_VALUE);
    }

    @Test
    void growsFarBeyondItsInitialSizeAndFindsEveryKey() {
        FlowWindow w = new FlowWindow();
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 20_000; k++) {
                add(w, "10.0." + (k >> 8) + "." + (k & 255), "192.0.2.1", k % 5, "t" + round, k);
            }
        }
        assertThat(w.size()).isEqualTo(20_000);
        Map<FlowKey, FlowRecord> m = FlowRecord.all(java.util.List.of(w));
        assertThat(m).hasSize(20_000);
        FlowRecord r = m.get(new FlowKey("10.0.1.2", "192.0.2.1", 258 % 5));
        assertThat(r.flowCount).isEqualTo(3);
        assertThat(r.ports()).containsExactly(258, 258, 258);
        assertThat(r.timestamp).isEqualTo("t0");
    }

    @Test
    void growsAtTheFillLevelItsSlackSetsAndKeepsEveryKey() {
        FlowWindow eager = new FlowWindow(64, 15); // grows at 64 - 15 = 49 entries to 96, then at 96 - 22 = 74 to 144
        FlowWindow full = new FlowWindow(64, 0); // grows when full, by half
        for (int k = 0; k < 100; k++) {
            add(eager, "s" + k, "d", 1, "t", k);
            add(full, "s" + k, "d", 1, "t", k);
            int n = k + 1;
            assertThat(eager.capacity()).as("eager after %d", n).isEqualTo(n <= 49 ? 64 : n <= 74 ? 96 : 144);
            assertThat(full.capacity()).as("full after %d", n).isEqualTo(n <= 64 ? 64 : n <= 96 ? 96 : 144);
        }
        Map<FlowKey, FlowRecord> m = FlowRecord.all(java.util.List.of(eager));
        assertThat(m).hasSize(100);
        for (int k = 0; k < 100; k++) {
            FlowRecord r = m.get(new FlowKey("s" + k, "d", 1));
            assertThat(r.flowCount).isEqualTo(1);
            assertThat(r.ports()).containsExactly(k);
        }
    }

    @Test
    void keysThatDifferOnlyOutsideAsciiStayApart() {
        FlowWindow w = new FlowWindow();
        add(w, "a\ud800", "b", 1, "t", 1); // lone surrogates: one charset encoding would make both "a?"
        add(w, "a\ud801", "b", 1, "t", 2);
        add(w, "a?", "b", 1, "t", 3);
        add(w, "ab", "b", 1, "t", 4);
        add(w, "a\ud800", "b", 1, "t", 5);
        Map<FlowKey, FlowRecord> m = FlowRecord.all(java.util.List.of(w));
        assertThat(m).hasSize(4);
        assertThat(m.get(new FlowKey("a\ud800", "b", 1)).ports()).containsExactly(1, 5);
    }

    @Test
    void keepsTheEarliestTimestampWhateverItsLengthOrOffset() {
        FlowWindow w = new FlowWindow();
        add(w, "s", "d", 1, "2026-11-28T10:00:05.000000+0000", 1);
        add(w, "s", "d", 1, "2026-11-28T10:00:03.000000+0000", 1); // same length: overwritten in place
        add(w, "s", "d", 1, "2026-11-28T10:00:04.000000+0000", 1);
        add(w, "s", "d", 1, "2026-11-28T11:00:02.000000+0100", 1); // 10:00:02 UTC, other offset
        add(w, "s", "d", 1, "2026-11-28T10:00:01+0000", 1); // shorter: no fraction
        add(w, "s", "d", 1, "2026-11-28T10:00:01.500000+0000", 1); // longer again, but later
        add(w, "t", "d", 1, "2026-11-28T10:00:09.000000+0000", 1); // another key's timestamp after it in the arena
        add(w, "s", "d", 1, "2026-11-28T10:00:00.250000+0000", 1); // longer than the stored one: appended
        Map<FlowKey, FlowRecord> m = FlowRecord.all(java.util.List.of(w));
        assertThat(m.get(new FlowKey("s", "d", 1)).timestamp).isEqualTo("2026-11-28T10:00:00.250000+0000");
        assertThat(m.get(new FlowKey("t", "d", 1)).timestamp).isEqualTo("2026-11-28T10:00:09.000000+0000");
    }

    @Test
    void clearedWindowIsEmptyAndReusable() {
        FlowWindow w = new FlowWindow();
        for (int k = 0; k < 1000; k++) {
            add(w, "s" + k, "d", 1, "t", k);
        }
        int capacity = w.capacity();
        w.clear();
        assertThat(w.size()).isZero();
        assertThat(w.find(FlowKey.hash("s1", "d", 1), "s1", "d", 1, "")).isEqualTo(-1);
        add(w, "s1", "d", 1, "u", 7);
        assertThat(w.capacity()).isEqualTo(capacity);
        FlowRecord r = FlowRecord.all(java.util.List.of(w)).get(new FlowKey("s1", "d", 1));
        assertThat(r.flowCount).isEqualTo(1);
        assertThat(r.ports()).containsExactly(7);
        assertThat(r.timestamp).isEqualTo("u");
    }

    @Test
    void prefetchIsSafeForAKeyOfEmptyStringsAtTheEndOfAFullArena() {
        FlowWindow w = new FlowWindow(64, 0); // a 3,072-byte arena, used to its last byte below
        for (int k = 0; k < 64; k++) {
            String src = String.format("%024d", k);
            w.insert(FlowKey.hash(src, "d".repeat(24), 1), src, "d".repeat(24), 1, "");
        }
        int h = FlowKey.hash("", "", 0);
        int e = w.insert(h, "", "", 0, ""); // its key bytes start at the arena's end: it has none
        w.prefetch(h);
        assertThat(w.find(h, "", "", 0, "")).isEqualTo(e);
    }

    @Test
    void aWindowSizedForAnotherTakesAsManyKeysWithoutGrowing() {
        FlowWindow old = new FlowWindow(64, 15);
        for (int k = 0; k < 1000; k++) {
            add(old, "10.0." + (k >> 8) + "." + (k & 255), "192.0.2.1", 443, "t", 40000 + k);
        }
        FlowWindow next = FlowWindow.sizedFor(old);
        assertThat(next.size()).isZero();
        int capacity = next.capacity();
        // room for 1,000 and a quarter below its growth point (slack 15: 64 - 15 of 64 used), no more
        // (the index alone is a power of two)
        assertThat(capacity).isEqualTo(1250 * 64 / 49 + 1);
        for (int k = 0; k < 1000; k++) {
            add(next, "10.0." + (k >> 8) + "." + (k & 255), "192.0.2.1", 443, "t", 40000 + k);
        }
        assertThat(next.capacity()).isEqualTo(capacity);
        assertThat(FlowRecord.all(java.util.List.of(next))).hasSize(1000);
    }

    /**
     * A timestamp of one non-ASCII character has the length code -1, which once also meant "no
     * timestamp": it was then lost, and a later timestamp taken as the earliest.
     */
    @Test
    void aOneCharacterNonAsciiTimestampIsKept() {
        FlowWindow w = new FlowWindow();
        int e = w.insert(1, "a", "b", 1, "");
        w.add(e, new org.eveflow.event.EveEvent("flow", "\u00e9", "a", 1, "b", 1, 1, 1, 1, 1));
        assertThat(w.timestamp(e)).isEqualTo("\u00e9");
        w.add(e, new org.eveflow.event.EveEvent("flow", "\u00ff", "a", 1, "b", 1, 1, 1, 1, 1));
        assertThat(w.timestamp(e)).isEqualTo("\u00e9");
    }
}

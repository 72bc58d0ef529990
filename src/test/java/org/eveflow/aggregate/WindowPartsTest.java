package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The parts a {@link FlowWindow} is made of, each held to its own invariant: {@link Growth}, {@link KeyIndex}, the timestamp rule. */
class WindowPartsTest {
    @Test
    void anArraySizedForUnitsHoldsThemBeforeItGrows() {
        for (int slack = 0; slack <= Growth.MAX_SLACK; slack++) {
            Growth g = new Growth(slack);
            for (int units : new int[] {1, 64, 1000, 1_000_003}) {
                int length = g.beforeGrowing(units);
                assertThat(g.mustGrow(units - 1, 1, length)).as("slack %d, %d units", slack, units).isFalse();
                assertThat(g.usable(length)).isLessThanOrEqualTo(length);
            }
            assertThat(g.mustGrow(g.usable(640), 1, 640)).isTrue();
        }
        assertThat(Growth.grown(64)).isEqualTo(96);
        assertThat(Growth.grown(1)).isEqualTo(2);
        assertThatThrownBy(() -> new Growth(16)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyPlacedEntryIsFoundByItsHashThroughCollisionsAndAResize() {
        int capacity = 8;
        KeyIndex index = new KeyIndex(capacity);
        int[] hashes = new int[1000];
        Random r = new Random(38);
        for (int e = 0; e < hashes.length; e++) {
            hashes[e] = e % 3 == 0 ? 7 : r.nextInt(); // a third collide on one slot
            if (e == capacity) { // grown as a window grows its entries
                capacity = Growth.grown(capacity);
                index.resize(capacity, e, i -> hashes[i]);
            }
            index.place(e, hashes[e]);
        }
        assertThat(KeyIndex.lengthFor(200)).isGreaterThanOrEqualTo(400); // at most half full
        index.resize(1000, 1000, i -> hashes[i]);
        for (int e = 0; e < hashes.length; e++) {
            Set<Integer> probed = new HashSet<>();
            int found = -1;
            for (int slot = index.first(hashes[e]); index.entry(slot) >= 0; slot = index.next(slot)) {
                assertThat(probed.add(slot)).isTrue();
                if (index.entry(slot) == e) {
                    found = e;
                    break;
                }
            }
            assertThat(found).isEqualTo(e);
        }
        index.clear();
        assertThat(index.entry(index.first(7))).isEqualTo(-1);
    }

    @Test
    void theInPlaceTimestampRuleAgreesWithTheFullOrder() {
        List<String> ts = List.of("2026-11-28T10:00:00.123456+0000", "2026-11-28T10:00:00.123457+0000",
                "2026-11-28T11:00:00.123456+0100", "2026-11-28T09:59:59.999999+0000", "2026-11-28T10:00:00+0000",
                "2026-11-28T10:00:00.1234567+0000", "2026-11-28T10:00:00.000000-0130", "x", "é");
        StringArena arena = new StringArena(64, new Growth(0));
        for (String stored : ts) {
            int off = arena.used();
            int code = arena.put(stored);
            for (String t : ts) {
                boolean expected = Timestamps.compare(t, stored) < 0;
                if (t.length() < 5 || stored.length() < 5) {
                    continue; // not timestamps: the rule's fallback compares them, which may throw
                }
                assertThat(Timestamps.isEarlier(t, arena, off, code)).as("%s before %s", t, stored).isEqualTo(expected);
            }
        }
    }
}

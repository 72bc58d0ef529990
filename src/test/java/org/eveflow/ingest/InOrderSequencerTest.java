package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link InOrderSequencer}: results come out in the order their work began, whatever order it finishes in. */
class InOrderSequencerTest {
    private final List<String> out = new ArrayList<>();
    private final InOrderSequencer<String> seq = new InOrderSequencer<>(out::add);

    @Test
    void anEarlyFinisherWaitsForItsPredecessors() {
        long a = seq.begin();
        long b = seq.begin();
        long c = seq.begin();
        assertThat(seq.finish(c, "c")).isZero();
        assertThat(seq.finish(b, "b")).isZero();
        assertThat(out).isEmpty();
        assertThat(seq.idle()).isFalse();
        assertThat(seq.finish(a, "a")).isEqualTo(3);
        assertThat(out).containsExactly("a", "b", "c");
        assertThat(seq.idle()).isTrue();
    }

    @Test
    void anyFinishingOrderGivesTheBeginningOrder() {
        Random random = new Random(38);
        for (int round = 0; round < 100; round++) {
            out.clear();
            List<Long> numbers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                numbers.add(seq.begin());
            }
            List<String> expected = numbers.stream().map(String::valueOf).toList();
            Collections.shuffle(numbers, random);
            int handedOn = 0;
            for (long n : numbers) {
                handedOn += seq.finish(n, String.valueOf(n));
            }
            assertThat(handedOn).isEqualTo(50);
            assertThat(out).containsExactlyElementsOf(expected);
            assertThat(seq.idle()).isTrue();
        }
    }

    @Test
    void aResultGivenTwiceOrForWorkNeverBegunIsABug() {
        long a = seq.begin();
        seq.finish(a, "a");
        assertThatThrownBy(() -> seq.finish(a, "again")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> seq.finish(7, "never")).isInstanceOf(IllegalStateException.class);
    }
}

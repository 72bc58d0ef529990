package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlowKeyTest {

    @Test
    void concatenationCollisionsOfFeverAreDistinctKeys() {
        assertThat(new FlowKey("1.1.1.1", "11.1.1.1", 80)).isNotEqualTo(new FlowKey("1.1.1.11", "1.1.1.1", 80));
    }

    /** Stripe = top 5 bits, bucket = low bits: within one stripe the low bits must still spread. */
    @Test
    void keysOfOneStripeSpreadOverTheStripesBuckets() {
        Map<Integer, Set<Integer>> bucketsPerStripe = new HashMap<>();
        Map<Integer, Integer> keysPerStripe = new HashMap<>();
        for (int k = 0; k < 100_000; k++) {
            FlowKey key = new FlowKey("10." + (k >>> 16 & 255) + "." + (k >>> 8 & 255) + "." + (k & 255),
                    "192.168." + (k % 7) + "." + (k % 200 + 1), 1 + k % 1000);
            int h = key.hashCode();
            int stripe = h >>> 27;
            bucketsPerStripe.computeIfAbsent(stripe, s -> new HashSet<>()).add((h ^ (h >>> 16)) & 1023);
            keysPerStripe.merge(stripe, 1, Integer::sum);
        }
        assertThat(bucketsPerStripe).hasSize(32);
        // ~3,125 keys per stripe thrown into 1,024 buckets fill ~975 of them when the bits are independent
        bucketsPerStripe.forEach((stripe, buckets) -> assertThat(buckets.size()).as("stripe %d", stripe).isGreaterThan(900));
        keysPerStripe.values().forEach(n -> assertThat(n).isBetween(2_700, 3_600));
    }
}

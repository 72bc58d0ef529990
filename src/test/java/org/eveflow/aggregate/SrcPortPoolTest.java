package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A full list keeps the smallest ports of all offered, for every limit, with repeats and in any order. */
class SrcPortPoolTest {
    @Test
    void aFullListHoldsTheSmallestPortsOffered() {
        SplittableRandom r = new SplittableRandom(42);
        for (int limit = 1; limit <= 40; limit++) {
            for (int round = 0; round < 20; round++) {
                SrcPortPool pool = new SrcPortPool(4, new Growth(0));
                int[] offered = new int[limit + r.nextInt(200)];
                int head = SrcPortPool.END;
                for (int i = 0; i < offered.length; i++) {
                    offered[i] = r.nextInt(round % 2 == 0 ? 65_536 : 50); // few distinct ports: many repeats
                    if (i < limit) {
                        head = pool.add(head, offered[i]);
                        if (i == limit - 1) {
                            head = pool.heapOf(head, limit);
                        }
                    } else {
                        pool.offerToHeap(head, limit, offered[i]);
                    }
                }
                int[] out = new int[limit];
                pool.copySorted(head, limit, out);
                assertThat(out).as("limit %d round %d", limit, round)
                        .containsExactly(Arrays.stream(offered).sorted().limit(limit).toArray());
            }
        }
    }
}

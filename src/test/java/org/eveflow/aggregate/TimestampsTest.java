package org.eveflow.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void sameOffsetComparesAsText() {
        assertThat(Timestamps.earliest("2026-11-28T10:00:01.000000+0000", "2026-11-28T10:00:00.999999+0000"))
                .isEqualTo("2026-11-28T10:00:00.999999+0000");
    }

    @Test
    void differentOffsetsCompareAsInstants() {
        // 11:00+0100 is 10:00 UTC, earlier than 10:30+0000
        assertThat(Timestamps.earliest("2026-11-28T10:30:00.000000+0000", "2026-11-28T11:00:00.000000+0100"))
                .isEqualTo("2026-11-28T11:00:00.000000+0100");
        assertThat(Timestamps.earliest("2026-11-28T11:00:00.000000+0100", "2026-11-28T10:30:00.000000+0000"))
                .isEqualTo("2026-11-28T11:00:00.000000+0100");
    }

    @Test
    void orderIsDeterministicForEqualInstantsAndUnparseableText() {
        String a = "2026-11-28T10:00:00.000000+0000";
        String b = "2026-11-28T11:00:00.000000+0100";
        assertThat(Timestamps.earliest(a, b)).isEqualTo(Timestamps.earliest(b, a));
        assertThat(Timestamps.earliest("junk", a)).isEqualTo(a);
        assertThat(Timestamps.earliest(a, "junk")).isEqualTo(a);
        assertThat(Timestamps.earliest(null, a)).isEqualTo(a);
    }
}

package org.eveflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.eveflow.counters.Counters;
import org.junit.jupiter.api.Test;

/**
 * Invariant 9 (docs/architecture.md): the input's read-ahead is bounded for all connections, reading
 * pauses over the limit and resumes at half of it.
 */
class ReadAheadTest {
    private final Counters counters = new Counters();
    private final ReadAhead readAhead = new ReadAhead(1000, counters);

    @Test
    void readingGoesOnUpToTheLimitAndPausesPastIt() {
        assertThat(readAhead.add(600)).isFalse();
        assertThat(readAhead.add(400)).isFalse(); // exactly the limit
        assertThat(readAhead.add(1)).isTrue();
        assertThat(counters.inputReadAheadBytes.get()).isEqualTo(1001);
    }

    @Test
    void everyPausedConnectionResumesOnceHalfOfTheLimitIsApplied() {
        EmbeddedChannel a = new EmbeddedChannel();
        EmbeddedChannel b = new EmbeddedChannel();
        readAhead.add(1200);
        readAhead.pause(a);
        readAhead.pause(b);
        assertThat(a.config().isAutoRead()).isFalse();
        assertThat(b.config().isAutoRead()).isFalse();
        assertThat(counters.inputReadPauses.sum()).isEqualTo(2);

        readAhead.release(699); // 501 left: still over half
        assertThat(a.config().isAutoRead()).isFalse();
        readAhead.release(1); // 500: half
        assertThat(a.config().isAutoRead()).isTrue();
        assertThat(b.config().isAutoRead()).isTrue();
        assertThat(counters.inputReadAheadBytes.get()).isEqualTo(500);
        readAhead.release(500);
        assertThat(counters.inputReadAheadBytes.get()).isZero();
    }

    @Test
    void aConnectionPausedAfterItsBytesWereAppliedResumesAtOnce() {
        EmbeddedChannel a = new EmbeddedChannel();
        assertThat(readAhead.add(1001)).isTrue();
        readAhead.release(1001); // applied on another event loop before this one paused
        readAhead.pause(a);
        assertThat(a.config().isAutoRead()).isTrue();
        assertThat(counters.inputReadPauses.sum()).isEqualTo(1);
    }
}

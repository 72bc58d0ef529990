package org.eveflow.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzz target for the decoder (Jazzer). The input is split at '\n' like the framer
 * does; each line must get a verdict (an event or MalformedEventException, never another exception),
 * the same verdict alone and in a batch, a line {@link EveScanner} takes must be one Jackson reads
 * to the same event, and a decoded event must satisfy what {@link EveParser} promises. {@code mvn test} replays the seeds in {@code src/test/resources/.../EveParserFuzzTestInputs}
 * (and an empty input); {@code mvn verify} also fuzzes it briefly (see the {@code fuzz} execution in
 * pom.xml); longer by hand: {@code JAZZER_FUZZ=1 mvn test -Dtest=EveParserFuzzTest -Djazzer.max_duration=10m}.
 */
class EveParserFuzzTest {
    private final EveParser parser = new EveParser();

    @FuzzTest(maxDuration = "60s")
    void everyLineGetsOneVerdictAloneAndInABatch(byte[] data) {
        List<int[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == '\n') {
                lines.add(new int[] {start, i});
                start = i + 1;
            }
        }
        int n = lines.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        Object[] alone = new Object[n];
        for (int i = 0; i < n; i++) {
            starts[i] = lines.get(i)[0];
            ends[i] = lines.get(i)[1];
            try {
                EveEvent e = parser.parse(data, starts[i], ends[i] - starts[i]);
                checkPromises(e);
                alone[i] = e;
            } catch (MalformedEventException e) {
                alone[i] = e.getMessage();
            }
            EveEvent scanned = EveScanner.scan(data, starts[i], ends[i]);
            if (scanned != null) {
                assertThat(scanned).as("line %d: the scanner takes only what Jackson reads the same", i)
                        .isEqualTo(alone[i]);
            }
        }
        EveEvent[] out = new EveEvent[n];
        MalformedEventException[] errors = new MalformedEventException[n];
        new EveLines(parser).parseLines(data, starts, ends, n, out, errors);
        for (int i = 0; i < n; i++) {
            Object batch = out[i] != null ? out[i] : errors[i].getMessage();
            assertThat(batch).as("line %d", i).isEqualTo(alone[i]);
        }
    }

    private static void checkPromises(EveEvent e) {
        assertThat(e.eventType()).isNotNull();
        assertThat(e.srcPort()).isBetween(-1, 65_535);
        assertThat(e.destPort()).isBetween(-1, 65_535);
        assertThat(e.pktsToServer()).isNotNegative();
        assertThat(e.pktsToClient()).isNotNegative();
        assertThat(e.bytesToServer()).isNotNegative();
        assertThat(e.bytesToClient()).isNotNegative();
        if (e.isFlow()) {
            assertThat(e.srcIp()).isNotNull();
            assertThat(e.destIp()).isNotNull();
            assertThat(e.timestamp()).isNotNull();
        }
    }
}

package org.eveflow.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.eveflow.testing.EveCorpus;
import org.eveflow.testing.LineMutator;
import org.junit.jupiter.api.Test;

/**
 * {@link EveLines#parseLines} shares one parser across lines: every line's verdict and message must
 * be exactly what {@link EveParser#parse} gives that line alone, whatever its neighbours are.
 */
class EveParserBatchTest {
    private static final String FLOW = "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"flow_id\":1,\"event_type\":\"flow\","
            + "\"src_ip\":\"10.0.0.1\",\"src_port\":40000,\"dest_ip\":\"10.0.0.2\",\"dest_port\":443,\"proto\":\"TCP\","
            + "\"flow\":{\"pkts_toserver\":3,\"pkts_toclient\":2,\"bytes_toserver\":300,\"bytes_toclient\":200,\"state\":\"closed\"},"
            + "\"tcp\":{\"syn\":true,\"flags\":[1,2,{\"x\":null}]}}";
    private static final String ALERT = "{\"timestamp\":\"2026-11-28T10:00:01.000000+0000\",\"event_type\":\"alert\","
            + "\"src_ip\":\"fe80::1\",\"dest_ip\":\"fe80::2\",\"alert\":{\"signature\":\"a \\\"quoted\\\" \\u00e9 sig\"}}";

    private final EveParser parser = new EveParser();

    /** What parse gives each line alone: the event, or the error message. */
    private List<Object> alone(List<byte[]> lines) {
        List<Object> r = new ArrayList<>();
        for (byte[] l : lines) {
            try {
                r.add(parser.parse(l, 0, l.length));
            } catch (MalformedEventException e) {
                r.add("malformed: " + e.getMessage());
            }
        }
        return r;
    }

    private List<Object> together(List<byte[]> lines, int gap) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {'x', '{'}); // bytes before the first line are never read
        int n = lines.size();
        int[] starts = new int[n];
        int[] ends = new int[n];
        for (int i = 0; i < n; i++) {
            starts[i] = b.size();
            b.writeBytes(lines.get(i));
            ends[i] = b.size();
            for (int g = 0; g < gap; g++) {
                b.write('\n');
            }
        }
        b.writeBytes("{\"event_type\":\"after\"}".getBytes(StandardCharsets.UTF_8)); // nor after the last
        EveEvent[] out = new EveEvent[n];
        MalformedEventException[] errors = new MalformedEventException[n];
        new EveLines(parser).parseLines(b.toByteArray(), starts, ends, n, out, errors);
        List<Object> r = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            assertThat(out[i] == null).as("line %d: exactly one of event and error", i).isEqualTo(errors[i] != null);
            r.add(out[i] != null ? out[i] : "malformed: " + errors[i].getMessage());
        }
        return r;
    }

    @Test
    void eachCorpusCaseBetweenValidLinesGetsItsOwnVerdict() {
        List<byte[]> lines = new ArrayList<>();
        for (EveCorpus.Case c : EveCorpus.parserCases()) {
            lines.add(FLOW.getBytes(StandardCharsets.UTF_8));
            lines.add(c.line());
            lines.add(ALERT.getBytes(StandardCharsets.UTF_8));
        }
        List<Object> expected = alone(lines);
        assertThat(together(lines, 1)).containsExactlyElementsOf(expected);
        assertThat(together(lines, 3)).containsExactlyElementsOf(expected);
        long malformed = expected.stream().filter(o -> o instanceof String).count();
        assertThat(malformed).isEqualTo(EveCorpus.withExpect(EveCorpus.Expect.MALFORMED).size());
    }

    @Test
    void randomlyMutatedLinesGetTheSameVerdictsAsAlone() {
        SplittableRandom r = new SplittableRandom(20261128);
        int malformed = 0;
        for (int round = 0; round < 200; round++) {
            List<byte[]> lines = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] l = (r.nextBoolean() ? FLOW : ALERT).getBytes(StandardCharsets.UTF_8);
                int mutations = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
                for (int m = 0; m < mutations; m++) {
                    l = LineMutator.mutate(r, l, FLOW.getBytes(StandardCharsets.UTF_8));
                }
                lines.add(l);
            }
            List<Object> expected = alone(lines);
            malformed += (int) expected.stream().filter(o -> o instanceof String).count();
            assertThat(together(lines, 1)).as("round %d", round).containsExactlyElementsOf(expected);
        }
        assertThat(malformed).as("the mutations do make malformed lines").isGreaterThan(2_000);
    }
}

package org.eveflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What an output's readers received across a reader killed mid-stream and its successor. */
public final class Delivery {
    private Delivery() {
    }

    /**
     * Asserts that {@code first}'s lines and then {@code second}'s are the sent lines, whole, once,
     * in order, with one contiguous run missing (what the kernel held for the killed reader, and the
     * line it was cut in), that {@code second} got everything after that run, and that a fragment
     * {@code first} got is only the start of the line after its last whole one. Returns the index in
     * {@code sent} of {@code second}'s first line.
     */
    public static int assertOneRunMissing(List<String> sent, LineSink first, LineSink second) {
        List<String> got = new ArrayList<>(first.lines());
        got.addAll(second.lines());
        assertThat(got).doesNotHaveDuplicates();
        assertThat(second.fragments()).isEmpty();
        int firstCount = first.lineCount();
        assertThat(first.lines()).containsExactlyElementsOf(sent.subList(0, firstCount));
        int resume = sent.indexOf(second.lines().get(0));
        assertThat(resume).isGreaterThanOrEqualTo(firstCount);
        assertThat(second.lines()).containsExactlyElementsOf(sent.subList(resume, sent.size()));
        for (byte[] fragment : first.fragments()) {
            assertThat(sent.get(firstCount)).startsWith(new String(fragment, StandardCharsets.UTF_8));
        }
        return resume;
    }
}

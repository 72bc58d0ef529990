package org.eveflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A table in a doc that is generated from the code: it stands between {@code <!-- NAME: generated,
 * TEST -->} and {@code <!-- /NAME -->}, and must be what the code gives. The expected table is also
 * written to target/NAME.md; with the environment variable {@code UPDATE_DOCS=1} the test writes it
 * into the doc instead of failing (after a change made on purpose: {@code UPDATE_DOCS=1 mvn test
 * -Dtest=ConfigKeysDocTest}).
 */
public final class GeneratedDocTable {
    private GeneratedDocTable() {
    }

    public static void assertCurrent(String doc, String name, String test, String expected) throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", name + ".md"), expected);
        String text = Files.readString(Path.of(doc));
        String start = "<!-- " + name + ": generated, " + test + " -->\n";
        int at = text.indexOf(start);
        assertThat(at).as("the markers in " + doc).isNotNegative();
        int end = text.indexOf("<!-- /" + name + " -->", at);
        if ("1".equals(System.getenv("UPDATE_DOCS"))) {
            Files.writeString(Path.of(doc), text.substring(0, at + start.length()) + expected + text.substring(end));
            return;
        }
        assertThat(text.substring(at + start.length(), end))
                .as(doc + "'s table " + name + " (the current one is in target/" + name + ".md)").isEqualTo(expected);
    }
}

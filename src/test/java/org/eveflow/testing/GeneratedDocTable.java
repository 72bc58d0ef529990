package org.eveflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A table in a doc that is generated from the code: it stands between {@code <!-- NAME: generated,
 * TEST -->} and {@code <!-- /NAME -->}, and must be what the code gives. The expected table is also
 * written to target/NAME.md, to copy in when the code changed on purpose.
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
        assertThat(text.substring(at + start.length(), text.indexOf("<!-- /" + name + " -->", at)))
                .as(doc + "'s table " + name + " (the current one is in target/" + name + ".md)").isEqualTo(expected);
    }
}

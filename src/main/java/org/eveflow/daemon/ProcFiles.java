package org.eveflow.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a one-value kernel file under /proc/sys whole. Not {@code Files.readString}: on
 * {@code net.core.wmem_default} it returned only "2" of 212992. The file reports size 0, so the JDK
 * reads one byte first, and a sysctl answers every read that does not start at offset 0 with end of
 * file. A buffered reader asks for the whole file in its first read. Stateless.
 */
final class ProcFiles {
    private ProcFiles() {
    }

    /** The file's text without its line ends or surrounding blanks. */
    static String read(Path file) throws IOException {
        return String.join("", Files.readAllLines(file)).strip();
    }
}

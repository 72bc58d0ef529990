package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel files are read whole, as cat reads them; Files.readString returned "2" of 212992. */
class ProcFilesTest {
    @TempDir
    Path dir;

    @Test
    void sysctlFilesReadAsCatReadsThem() throws Exception {
        for (String file : new String[] {"/proc/sys/net/core/wmem_default", "/proc/sys/kernel/hostname"}) {
            Process cat = new ProcessBuilder("cat", file).start();
            String expected = new String(cat.getInputStream().readAllBytes()).strip();
            assertThat(cat.waitFor()).isZero();
            assertThat(ProcFiles.read(Path.of(file))).as(file).isEqualTo(expected).isNotEmpty();
        }
    }

    @Test
    void lineEndsAndBlanksAreDropped() throws Exception {
        assertThat(ProcFiles.read(Files.writeString(dir.resolve("v"), " 4194304\n"))).isEqualTo("4194304");
    }
}

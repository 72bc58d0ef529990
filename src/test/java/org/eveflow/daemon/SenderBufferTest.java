package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up advice on Suricata's send buffer (net.core.wmem_default). */
class SenderBufferTest {
    @TempDir
    Path dir;

    @Test
    void debiansDefaultGetsTheAdviceWithItsNumbers() throws Exception {
        Path f = Files.writeString(dir.resolve("wmem_default"), "212992\n");
        assertThat(SenderBuffer.advice(f)).startsWith("Suricata's socket to eveflow gets net.core.wmem_default = 212992"
                + " bytes of send buffer").contains("4 MiB is recommended");
    }

    /** The advice names the number the kernel holds (ProcFilesTest checks the read itself). */
    @Test
    void theKernelsSettingIsReadWhole() throws Exception {
        Process cat = new ProcessBuilder("cat", SenderBuffer.WMEM_DEFAULT.toString()).start();
        long actual = Long.parseLong(new String(cat.getInputStream().readAllBytes()).trim());
        assertThat(cat.waitFor()).isZero();
        if (actual < SenderBuffer.RECOMMENDED) {
            assertThat(SenderBuffer.advice(SenderBuffer.WMEM_DEFAULT)).contains("wmem_default = " + actual + " bytes");
        } else {
            assertThat(SenderBuffer.advice(SenderBuffer.WMEM_DEFAULT)).isNull();
        }
    }

    @Test
    void theRecommendedSizeOrMoreAndAnUnreadableSettingGetNone() throws Exception {
        assertThat(SenderBuffer.advice(Files.writeString(dir.resolve("a"), "4194304\n"))).isNull();
        assertThat(SenderBuffer.advice(Files.writeString(dir.resolve("b"), "16777216"))).isNull();
        assertThat(SenderBuffer.advice(Files.writeString(dir.resolve("c"), "lots"))).isNull();
        assertThat(SenderBuffer.advice(dir.resolve("missing"))).isNull();
    }

    @Test
    void theShippedSysctlFileOffersTheRecommendedSizeCommentedOut() throws Exception {
        Path f = Path.of("conf/sysctl.d/60-eveflow-suricata-socket.conf");
        assertThat(Files.readAllLines(f)).filteredOn(l -> l.contains("net.core.wmem_default ="))
                .containsExactly("#net.core.wmem_default = " + SenderBuffer.RECOMMENDED);
    }
}

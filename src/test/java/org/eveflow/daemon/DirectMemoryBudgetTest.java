package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Overrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup check of the configuration's off-heap bound against the unit's MaxDirectMemorySize. */
class DirectMemoryBudgetTest {
    private static final long UNIT_LIMIT = 256L << 20; // systemd/eveflow.service: -XX:MaxDirectMemorySize=256m

    @TempDir
    Path dir;

    @Test
    void theShippedConfigurationFitsTheUnitsLimit() throws Exception {
        Config c = ConfigLoader.load(Path.of("conf/eveflow.yaml"), Overrides.none());
        assertThat(DirectMemoryBudget.bound(c)).isEqualTo(4L * 2 * (16 << 20) + (64 << 20) + (64 << 10));
        assertThat(DirectMemoryBudget.check(c, UNIT_LIMIT)).isNull();
    }

    @Test
    void aSecondFullSizeOutputDoesNotAndIsNamedInTheWarning() throws Exception {
        Path f = dir.resolve("two.yaml");
        Files.writeString(f, "input:\n  socket: " + dir.resolve("in.sock") + "\n"
                + "outputs:\n"
                + "  a:\n    socket: " + dir.resolve("a.sock") + "\n    buffer-bytes: 64MiB\n"
                + "  b:\n    socket: " + dir.resolve("b.sock") + "\n    buffer-bytes: 64MiB\n");
        Config c = ConfigLoader.load(f, Overrides.none());
        assertThat(DirectMemoryBudget.bound(c)).isEqualTo(4L * 2 * (16 << 20) + 2 * ((64 << 20) + (64 << 10)));
        assertThat(DirectMemoryBudget.check(c, UNIT_LIMIT))
                .startsWith("off-heap buffers may need up to 257 MiB (input: max-connections 4 x 2 x max-line-length 16 MiB;"
                        + " outputs: buffer-bytes + 64 KiB each, 2 outputs) but the JVM allows 256 MiB of direct memory");
    }
}

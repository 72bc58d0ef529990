package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Overrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The startup check of the configuration's off-heap bound against the unit's MaxDirectMemorySize, and
 * the outputs' buffer-bytes reduced to fit it.
 */
class DirectMemoryBudgetTest {
    private static final long MIB = 1 << 20;
    /** systemd/eveflow.default (the package's /etc/default/eveflow): -XX:MaxDirectMemorySize=256m; Netty's pool then has 4 arenas of 4 MiB chunks here. */
    private static final DirectMemoryBudget UNIT = new DirectMemoryBudget(256 * MIB, 16 * MIB);

    @TempDir
    Path dir;

    @Test
    void theShippedConfigurationFitsTheUnitsLimit() throws Exception {
        Config c = ConfigLoader.load(Path.of("conf/eveflow.yaml"), Overrides.none());
        // input 4 x 2 x 16 MiB and the read-ahead, output 64 MiB + a quarter + one block, the pool's chunks
        assertThat(UNIT.bound(c)).isEqualTo(128 * MIB + 16 * MIB + 80 * MIB + (64 << 10) + 16 * MIB);
        DirectMemoryBudget.Fitted fitted = UNIT.fit(c);
        assertThat(fitted.warning()).isNull();
        assertThat(fitted.config()).isSameAs(c);
    }

    @Test
    void aSecondFullSizeOutputDoesNotAndBothAreReducedToFit() throws Exception {
        Path f = dir.resolve("two.yaml");
        Files.writeString(f, "input:\n  socket: " + dir.resolve("in.sock") + "\n"
                + "outputs:\n"
                + "  a:\n    socket: " + dir.resolve("a.sock") + "\n    buffer-bytes: 64MiB\n"
                + "  b:\n    socket: " + dir.resolve("b.sock") + "\n    buffer-bytes: 64MiB\n");
        Config c = ConfigLoader.load(f, Overrides.none());
        assertThat(UNIT.bound(c)).isEqualTo(144 * MIB + 2 * (80 * MIB + (64 << 10)) + 16 * MIB);
        DirectMemoryBudget.Fitted result = UNIT.fit(c);
        Config fitted = result.config();
        // room: 256 - 144 (input) - 16 (pool) MiB - 2 blocks, shared in proportion: 2/5 of it each
        assertThat(fitted.outputs()).extracting(Config.Output::bufferBytes).containsExactly(40_212_889L, 40_212_889L);
        assertThat(UNIT.bound(fitted)).isBetween(256 * MIB - 2, 256 * MIB); // rounded down, never over
        assertThat(fitted.outputs().get(0).with(org.eveflow.config.Keys.BUFFER_BYTES, 64 * MIB)).isEqualTo(c.outputs().get(0));
        assertThat(result.warning())
                .isEqualTo("off-heap buffers may need up to 321 MiB (input: max-connections 4 x 2 x max-line-length 16"
                        + " MiB + 16 MiB read-ahead; outputs: 5/4 x buffer-bytes + 64 KiB each, 2 outputs; the buffer pool's partly used"
                        + " chunks: 16 MiB) but the JVM allows 256 MiB of direct memory (-XX:MaxDirectMemorySize):"
                        + " buffer-bytes reduced to fit (a 64 MiB -> 38.3 MiB, b 64 MiB -> 38.3 MiB); raise the limit"
                        + " or lower those settings");
    }

    @Test
    void outputsShareTheRoomInProportionAndKeepAtLeastOneMebibyte() throws Exception {
        Path f = dir.resolve("big.yaml");
        Files.writeString(f, "input:\n  socket: " + dir.resolve("in.sock") + "\n  max-connections: 1\n"
                + "  max-line-length: 1MiB\n"
                + "outputs:\n"
                + "  big:\n    socket: " + dir.resolve("a.sock") + "\n    buffer-bytes: 3GiB\n"
                + "  small:\n    socket: " + dir.resolve("b.sock") + "\n    buffer-bytes: 1GiB\n");
        Config c = ConfigLoader.load(f, Overrides.none());
        DirectMemoryBudget small = new DirectMemoryBudget(64 * MIB, 8 * MIB);
        Config fitted = small.fit(c).config();
        // room: 64 - 18 (input and read-ahead) - 8 (pool) MiB - 2 blocks = 39,714,816 bytes for 5/4 x (3 + 1) GiB
        assertThat(fitted.outputs()).extracting(Config.Output::bufferBytes).containsExactly(23_828_889L, 7_942_963L);
        assertThat(small.bound(fitted)).isBetween(64 * MIB - 4, 64 * MIB);
        // not even the input fits: each output keeps the least
        assertThat(new DirectMemoryBudget(MIB, 0).fit(c).config().outputs()).extracting(Config.Output::bufferBytes)
                .containsExactly(MIB, MIB);
    }
}

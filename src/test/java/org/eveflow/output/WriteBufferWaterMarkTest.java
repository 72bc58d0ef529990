package org.eveflow.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Overrides;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output's write-buffer water marks come from its configuration and are what its connection uses. */
class WriteBufferWaterMarkTest {
    @TempDir
    Path dir;

    @Test
    void theConnectionUsesTheConfiguredWaterMarks() throws Exception {
        Path out = dir.resolve("out.sock");
        Path cfg = dir.resolve("c.yaml");
        Files.writeString(cfg, "outputs:\n  siem:\n    socket: " + out + "\n    types: [alert]\n"
                + "    write-buffer-low: 4KiB\n    write-buffer-high: 8KiB\n");
        Config.Output config = ConfigLoader.load(cfg, Overrides.none()).outputs().get(0);
        try (LineSink sink = new LineSink(out); TestForwarder output = new TestForwarder(config)) {
            output.forwarder.start();
            byte[] line = "{\"event_type\":\"alert\"}\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 1000; i++) {
                output.forwarder.offerRaw(Unpooled.directBuffer(line.length).writeBytes(line), 1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.lineCount() == 1000);
            WriteBufferWaterMark mark = output.forwarder.connectionWaterMark();
            assertThat(mark.low()).isEqualTo(4096);
            assertThat(mark.high()).isEqualTo(8192);
            assertThat(output.counters.written.sum()).isEqualTo(1000);
        }
    }

    @Test
    void theDefaultsAreThoseOfTheShippedFile() throws Exception {
        Config.Output d = ConfigLoader.load(null, Overrides.none()).outputs().get(0);
        assertThat(d.writeBufferLow()).isEqualTo(32 << 10);
        assertThat(d.writeBufferHigh()).isEqualTo(64 << 10);
    }
}

package org.eveflow.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A socket in a directory that does not exist yet is refused, unless the package's eveflow.socket (as
 * systemd reads it: the unit, then the operator's overrides and drop-ins) holds that path.
 */
class HostChecksTest {
    @TempDir
    Path root;

    private Config config(Path socket) throws Exception {
        Path f = root.resolve("c.yaml");
        Files.writeString(f, "input:\n  socket: " + socket + "\n");
        return ConfigLoader.load(f, Overrides.none());
    }

    private void unit(String path, String text) throws Exception {
        Path f = root.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }

    @Test
    void aSocketSystemdHoldsNeedsNoDirectoryYet() throws Exception {
        Path socket = Path.of("/run/eveflow-test-" + ProcessHandle.current().pid() + "/eve.sock");
        Config c = config(socket);
        assertThatThrownBy(() -> HostChecks.check(c, root)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("does not exist").matches(e -> ((ConfigException) e).refusedByHost());
        unit("usr/lib/systemd/system/eveflow.socket", "[Socket]\nListenStream=" + socket + "\nSocketMode=0660\n");
        HostChecks.check(c, root);
        unit("etc/systemd/system/eveflow.socket.d/other.conf", "[Socket]\nListenStream=\nListenStream=/run/x/y.sock\n");
        assertThatThrownBy(() -> HostChecks.check(c, root)).hasMessageContaining("does not exist");
        assertThat(HostChecks.heldBySystemd(Path.of("/run/x/y.sock"), root)).isTrue();
    }
}

package org.eveflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Overrides;
import org.eveflow.daemon.Daemon;
import org.eveflow.counters.Counters;

/**
 * An in-process daemon on real Unix sockets in a temp directory: {@code in.sock} for input and
 * {@code out.sock} for the default output, configured by a YAML snippet and flags.
 */
public final class TestDaemon implements AutoCloseable {
    public final Path dir;
    public final Path in;
    public final Path out;
    private final Daemon daemon;

    private TestDaemon(Path dir, Daemon daemon) {
        this.dir = dir;
        this.in = dir.resolve("in.sock");
        this.out = dir.resolve("out.sock");
        this.daemon = daemon;
    }

    /** Starts with {@code yaml} as the config file (may be empty) and the given flushtime/types flags. */
    public static TestDaemon start(Path dir, String yaml, Overrides flags) throws Exception {
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, yaml);
        Overrides o = new Overrides(
                flags.inSocket() != null ? flags.inSocket() : dir.resolve("in.sock").toString(),
                flags.outSocket() != null ? flags.outSocket() : dir.resolve("out.sock").toString(),
                flags.flushtime(), flags.fwdEventTypes(), flags.fwdAllTypes(), flags.verbose(),
                flags.reconnectRetries());
        Config config = ConfigLoader.load(cfg, o);
        return new TestDaemon(dir, Daemon.start(config));
    }

    public static Overrides flags(String flushtime, String... types) {
        return new Overrides(null, null, flushtime, types.length == 0 ? null : java.util.List.of(types), null, null);
    }

    public Counters counters() {
        return daemon.counters();
    }

    public Daemon daemon() {
        return daemon;
    }

    public void stop() {
        daemon.stop();
    }

    @Override
    public void close() throws IOException {
        daemon.stop();
    }
}

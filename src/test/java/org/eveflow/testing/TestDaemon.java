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
        Overrides o = flags;
        if (!flags.has("--in-socket")) {
            o = o.with("--in-socket", dir.resolve("in.sock").toString());
        }
        if (!flags.has("--out-socket")) {
            o = o.with("--out-socket", dir.resolve("out.sock").toString());
        }
        Config config = ConfigLoader.load(cfg, o);
        return new TestDaemon(dir, Daemon.start(config));
    }

    public static Overrides flags(String flushtime, String... types) {
        return Overrides.none().with("--flushtime", flushtime).with("--fwd-event-types", types.length == 0 ? null : java.util.List.of(types));
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

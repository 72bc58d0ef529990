package org.eveflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenJDK 21 for the end-to-end bench: the Debian 13 root of the tests ({@code src/test/sh/debian13-root.sh},
 * unpacked into {@code target/debian13-root} and removed when the bench's JVM exits), whose java runs
 * chrooted with the bench's directory at the same path inside. Not thread-safe.
 */
final class Java21Root {
    private static final Path ROOT = Path.of("target/debian13-root").toAbsolutePath();
    private static final String SCRIPT = Path.of("src/test/sh/debian13-root.sh").toAbsolutePath().toString();

    private Java21Root() {
    }

    /** A runner whose eveflow runs on the root's java; unpacks the root first. */
    static BenchRunner runner(Path dir, String extraYaml, boolean threads) throws IOException, InterruptedException {
        Process unpack = new ProcessBuilder("bash", SCRIPT, "unpack", ROOT.toString()).inheritIO().start();
        if (!unpack.waitFor(900, TimeUnit.SECONDS) || unpack.exitValue() != 0) {
            throw new IllegalStateException("cannot unpack the Debian 13 root (root, mmdebstrap: see above)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                new ProcessBuilder("bash", SCRIPT, "remove", ROOT.toString()).inheritIO().start().waitFor();
            } catch (IOException | InterruptedException e) {
                System.err.println("cannot remove " + ROOT + ": " + e);
            }
        }));
        return new BenchRunner(dir, extraYaml, threads,
                List.of("bash", SCRIPT, "run", ROOT.toString(), dir.toAbsolutePath().toString(), "java"));
    }

    /** The jar, copied where the root sees it. */
    static String jar(Path dir, String jar) throws IOException {
        Path copy = dir.resolve("eveflow-java21.jar");
        Files.copy(Path.of(jar), copy, StandardCopyOption.REPLACE_EXISTING);
        return copy.toAbsolutePath().toString();
    }
}

package org.eveflow.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian 13 root ({@code src/test/sh/debian13-root.sh}): Suricata 8 from trixie-backports, OpenJDK
 * 21, Debian 13's dpkg and lintian. Unpacked once per test JVM (built first if the cache has none, which
 * fails the test loudly when it cannot be built) into {@code target/debian13-root}, removed when the JVM
 * exits. Each command runs chrooted in it, in a mount namespace of its own, with the JVM's temporary
 * directory (where {@code @TempDir}s are) at the same path inside, so a path names the same file inside
 * and out, sockets included; the mounts end with the command. Thread-safe.
 */
public final class Debian13Root {
    private static final Path SCRIPT = Path.of("src/test/sh/debian13-root.sh");
    private static final Path DIR = Path.of("target/debian13-root").toAbsolutePath();
    /** The directory shared with the root: the JVM's temporary directory, where the tests' files are. */
    public static final Path WORK = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    private static boolean unpacked;

    private Debian13Root() {
    }

    /** Unpacks the root (once per JVM); fails if it cannot be built or unpacked. */
    public static synchronized void require() throws IOException, InterruptedException {
        if (unpacked) {
            return;
        }
        Required.root("a Debian 13 root (chroot, mount namespace)");
        Required.binary("/usr/bin/unshare", "util-linux");
        Result r = exec(List.of("bash", SCRIPT.toString(), "unpack", DIR.toString()), 900);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot make the Debian 13 root: " + r.output());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                exec(List.of("bash", SCRIPT.toString(), "remove", DIR.toString()), 120);
            } catch (IOException | InterruptedException e) {
                System.err.println("cannot remove " + DIR + ": " + e);
            }
        }));
        unpacked = true;
    }

    /** The command line that runs {@code command} in the root, for a ProcessBuilder. */
    public static List<String> command(String... command) {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toAbsolutePath().toString(), "run",
                DIR.toString(), WORK.toString()));
        cmd.addAll(List.of(command));
        return cmd;
    }

    /** A path inside the root, as the host sees it (not under the shared directory). */
    public static Path path(String inside) {
        return DIR.resolve(inside.startsWith("/") ? inside.substring(1) : inside);
    }

    /** A command's exit code and output (stdout and stderr). */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code command} in the root, for at most {@code seconds}. */
    public static Result run(long seconds, String... command) throws IOException, InterruptedException {
        return exec(command(command), seconds);
    }

    /** Runs {@code command} in the root and fails unless it exits 0; returns its output. */
    public static String check(String... command) throws IOException, InterruptedException {
        Result r = run(300, command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode() + " in the Debian 13 root: "
                    + r.output());
        }
        return r.output();
    }

    private static Result exec(List<String> cmd, long seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("debian13-root", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                return new Result(-1, "timed out after " + seconds + " s: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

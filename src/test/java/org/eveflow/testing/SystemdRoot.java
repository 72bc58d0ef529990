package org.eveflow.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Debian 12 root with systemd 252 as PID 1 in namespaces of its own ({@code src/test/sh/systemd-root.sh}),
 * for tests that need a real service manager: {@link #run} a command inside, files in and out through
 * {@link #path}. {@link #close} kills that PID 1, which ends its namespaces and every mount in them,
 * and removes the root, also after a failed test. Not thread-safe.
 */
public final class SystemdRoot implements AutoCloseable {
    private static final Path SCRIPT = Path.of("src/test/sh/systemd-root.sh");
    private final Path dir;
    private final String pid;

    private SystemdRoot(Path dir, String pid) {
        this.dir = dir;
        this.pid = pid;
    }

    /** Unpacks the (cached, else built) root into {@code dir} and boots its systemd; fails loudly if it cannot. */
    public static SystemdRoot boot(Path dir) throws IOException, InterruptedException {
        Required.binary("/usr/bin/unshare", "util-linux");
        Required.binary("/usr/bin/nsenter", "util-linux");
        Result r = exec(List.of("bash", SCRIPT.toString(), "boot", dir.toString()), 600);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cannot boot systemd in " + dir + ": " + r.output());
        }
        String[] lines = r.output().trim().split("\n");
        return new SystemdRoot(dir, lines[lines.length - 1].trim());
    }

    /** A command's exit code and output (stdout and stderr). */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code command} inside the root (its namespaces, its root directory), for at most 2 minutes. */
    public Result run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "run", pid));
        cmd.addAll(List.of(command));
        return exec(cmd, 120);
    }

    /** Runs {@code command} inside and fails unless it exits 0; returns its output. */
    public String check(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    /** A path inside the root, as the host sees it (not under /run or /tmp, which are the root's own tmpfs). */
    public Path path(String inside) {
        return dir.resolve(inside.startsWith("/") ? inside.substring(1) : inside);
    }

    private static Result exec(List<String> command, long seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("systemd-root", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, "timed out after " + seconds + " s: " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            exec(List.of("bash", SCRIPT.toString(), "halt", pid, dir.toString()), 120);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

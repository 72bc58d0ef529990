package org.eveflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * eveflow as a separate process from the built jar ({@code target/eveflow.jar}, set by Failsafe as
 * the system property {@code eveflow.jar}), its stderr and stdout kept in a file. Killed on close if
 * still running.
 */
public final class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static Path jar() {
        String jar = System.getProperty("eveflow.jar", "target/eveflow.jar");
        Path p = Path.of(jar);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no " + p + ": run 'mvn package' first");
        }
        return p;
    }

    public static DaemonProcess start(Path dir, String... args) throws IOException {
        return start(dir, List.of("-Xmx256m"), args);
    }

    /** Starts with the given JVM options instead of the default {@code -Xmx256m}. */
    public static DaemonProcess start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        return start(dir, List.of(), java.util.Map.of(), jvmOptions, args);
    }

    /**
     * The general form: {@code prefix} runs before java (e.g. systemd-socket-activate -l PATH),
     * {@code env} is added to the environment.
     */
    public static DaemonProcess start(Path dir, List<String> prefix, java.util.Map<String, String> env,
                                      List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(javaCommand());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return command(dir, env, cmd);
    }

    /** eveflow started by another command than java (an installed launcher): {@code command} as given. */
    public static DaemonProcess command(Path dir, java.util.Map<String, String> env, List<String> command)
            throws IOException {
        Path log = Files.createTempFile(dir, "eveflow-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new DaemonProcess(pb.start(), log);
    }

    public static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Sends a signal by name (HUP, TERM, ...) with kill(1). */
    public void signal(String name) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Runs a short command (check-config, version) and returns its exit code. */
    public static Result run(Path dir, String... args) throws Exception {
        try (DaemonProcess p = start(dir, args)) {
            int code = p.waitFor(60);
            return new Result(code, p.output());
        }
    }

    /** Exit code and combined output of a finished process. */
    public record Result(int exitCode, String output) {
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** A line of /proc/PID/status in KiB: "VmRSS" (now) or "VmHWM" (peak). */
    public long memoryKib(String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (l.startsWith(field + ":")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    /** Runs a full GC in the daemon (jcmd GC.run). */
    public void forceGc() throws Exception {
        jcmd("GC.run");
    }

    /** Runs a jcmd diagnostic command (GC.run, GC.heap_info, ...) in the daemon; returns its output. */
    public String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("jcmd " + command + " failed: " + out);
        }
        return out;
    }

    /** SIGTERM (Process.destroy sends SIGTERM on Linux). */
    public void sigterm() {
        process.destroy();
    }

    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("eveflow did not exit within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /**
     * The counters of the last stats report: its line, outputs included, as name to value (with one
     * output, output_* names are that output's); with {@code -v} also every global metric (the "stats
     * all:" line after it).
     */
    public java.util.Map<String, Long> lastStats() {
        String[] lines = output().split("\n");
        int last = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("stats: lines_received=")) {
                last = i;
            }
        }
        java.util.Map<String, Long> m = new java.util.HashMap<>();
        boolean all = false; // the "stats all:" line follows its "stats:" line, maybe after other threads' lines
        for (int i = last; last >= 0 && i < lines.length && !all; i++) {
            String marker = i == last ? "stats: " : "stats all: ";
            int at = lines[i].indexOf(marker);
            if (at < 0 || (i > last && lines[i].contains("stats: lines_received="))) {
                continue;
            }
            all = i > last;
            for (String kv : lines[i].substring(at + marker.length()).trim().split(" ")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[1].matches("\\d+")) {
                    m.put(p[0], Long.parseLong(p[1]));
                }
            }
        }
        return m;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

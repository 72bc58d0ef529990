package org.eveflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Each thread's CPU time and run-queue wait (/proc/PID/task/TID/schedstat), summed by thread name
 * with digits taken out (the two decode threads are one row).
 */
final class ThreadTimes {
    final java.util.Map<String, double[]> byName = new java.util.TreeMap<>();

    ThreadTimes(long pid) throws IOException {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(t.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    String[] f = Files.readString(t.resolve("schedstat")).trim().split(" ");
                    double[] v = byName.computeIfAbsent(name, k -> new double[2]);
                    v[0] += Long.parseLong(f[0]) / 1e9;
                    v[1] += Long.parseLong(f[1]) / 1e9;
                } catch (IOException | RuntimeException gone) {
                    // thread ended
                }
            }
        }
    }

    /** CPU seconds of the JIT's compiler threads (C1 and C2). */
    double compilerSeconds() {
        return byName.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToDouble(e -> e.getValue()[0]).sum();
    }

    /** CPU seconds of all threads alive now. */
    double cpuSeconds() {
        return byName.values().stream().mapToDouble(v -> v[0]).sum();
    }

    String since(ThreadTimes earlier, String who, double wallSeconds) {
        StringBuilder b = new StringBuilder();
        byName.forEach((name, v) -> {
            double[] e = earlier.byName.getOrDefault(name, new double[2]);
            double run = v[0] - e[0];
            double wait = v[1] - e[1];
            if (run + wait > 0.005 * wallSeconds) {
                b.append(String.format(Locale.ROOT, "  %-8s %-16s run %5.2f s (%3.0f %%)  waiting for a core %5.2f s (%3.0f %%)%n",
                        who, name, run, 100 * run / wallSeconds, wait, 100 * wait / wallSeconds));
            }
        });
        return b.toString();
    }
}

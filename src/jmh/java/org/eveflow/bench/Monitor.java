package org.eveflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Polls /proc for the process's CPU time and peak RSS (VmHWM) until stopped. */
final class Monitor {
    static final int IDLE_MILLIS = 300;
    private final long pid;
    volatile double lastCpu;
    volatile long peakRssKb;
    private final Thread thread;
    private volatile boolean stopped;

    Monitor(long pid) {
        this.pid = pid;
        thread = new Thread(() -> {
            while (!stopped) {
                sample();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    double cpuSeconds() {
        sample();
        return lastCpu;
    }

    private void sample() {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            lastCpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
    }

    /**
     * Waits until the process has used less than a fifth of a core for {@value #IDLE_MILLIS} ms in a
     * row and returns when that quiet stretch began (System.nanoTime), i.e. when it stopped working.
     */
    long awaitIdle(Process p) throws Exception {
        long quietSince = System.nanoTime();
        double cpuThen = cpuSeconds();
        long end = quietSince + TimeUnit.SECONDS.toNanos(300);
        while (true) {
            Thread.sleep(10);
            long now = System.nanoTime();
            double cpu = cpuSeconds();
            if (cpu - cpuThen > 0.2 * (now - quietSince) / 1e9 + 0.01) { // busy (0.01: one clock tick)
                quietSince = now;
                cpuThen = cpu;
            } else if (now - quietSince >= TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS)) {
                return quietSince;
            }
            if (!p.isAlive() || now > end) {
                throw new IllegalStateException("process exited or did not go idle (see its log next to the streams)");
            }
        }
    }

    void stop() {
        stopped = true;
    }
}

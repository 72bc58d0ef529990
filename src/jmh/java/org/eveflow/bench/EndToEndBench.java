package org.eveflow.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end benchmark: a seeded Suricata-like stream is generated to a file first, then fed over
 * one Unix socket connection, as fast as the daemon reads, into eveflow started as a process (and,
 * with --vs-fever, into FEVER, alternately, on the same file); an output socket listener counts what
 * arrives. Reports events/s from the first byte sent to the last line received after the final
 * flush (eveflow) or the last forwarded line (FEVER; without forwarding, the moment FEVER went idle
 * after the stream, as it aggregates into a discarding sink), CPU seconds, peak RSS and drop counters; medians
 * and min-max over repetitions. A warm-up stream goes through a separate connection first. With
 * --vs-jmh each repetition first runs the JMH decoder benchmark ({@code EveParserBench.decodeBatchOfLines},
 * one core, its own fork, 3 + 3 iterations of 2 s) and reports eveflow's rate as a share of that one,
 * since both drift with the machine and only rates taken together can be compared.
 *
 * <pre>java -cp target/benchmarks.jar org.eveflow.bench.EndToEndBench --scenario fwd-10k --reps 3 [--vs-fever] [--vs-jmh]
 *     [--decode-threads N] [--jvm-opts "..."] [--events N] [--warmup N] [--flushtime 2s] [--add-fields] [--threads]</pre>
 * Scenarios: flows-10k (no raw forwarding), fwd-10k (-T, forward everything), flows-1m (1M keys),
 * mixed-10k (flows plus alert/dns, forwarded).
 */
public final class EndToEndBench {
    private static final Path DIR = Path.of("/tmp/evf-bench");
    /** Extra eveflow config (--add-fields adds two static fields to every forwarded line and aggregate). */
    private static String extraYaml = "";
    /** --threads: print each thread's CPU and run-queue wait while the measured stream was sent. */
    private static boolean threads;

    private EndToEndBench() {
    }

    /** EVEFLOW_JAVA_OPTS of the package's /etc/default/eveflow (systemd/eveflow.default): the defaults a user gets. */
    static String packagedJavaOpts() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("systemd/eveflow.default"))) {
            if (line.startsWith("EVEFLOW_JAVA_OPTS=")) {
                return line.substring("EVEFLOW_JAVA_OPTS=".length()).replace("\"", "").trim();
            }
        }
        throw new IllegalStateException("no EVEFLOW_JAVA_OPTS in systemd/eveflow.default");
    }

    public static void main(String[] args) throws Exception {
        String scenario = "fwd-10k";
        long events = 4_000_000;
        long warmup = 1_000_000;
        int reps = 3;
        boolean vsFever = false;
        boolean vsJmh = false;
        String jar = "target/eveflow.jar";
        String jvmOpts = packagedJavaOpts();
        String decodeThreads = null;
        String flushtime = "1h";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--scenario": scenario = args[++i]; break;
                case "--events": events = Long.parseLong(args[++i]); break;
                case "--warmup": warmup = Long.parseLong(args[++i]); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--vs-fever": vsFever = true; break;
                case "--vs-jmh": vsJmh = true; break;
                case "--jar": jar = args[++i]; break;
                case "--jvm-opts": jvmOpts = args[++i]; break;
                case "--decode-threads": decodeThreads = args[++i]; break;
                case "--flushtime": flushtime = args[++i]; break;
                case "--threads": threads = true; break;
                case "--add-fields": extraYaml = "add-fields:\n  sensor-id: sensor-07\n  site: \"hq \\\"north\\\"\"\n"; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Files.createDirectories(DIR);
        int keys = scenario.contains("1m") ? 1_000_000 : 10_000;
        boolean mixed = scenario.startsWith("mixed");
        boolean forwardAll = scenario.startsWith("fwd") || mixed;
        Path warm = generate("warmup-" + scenario, warmup, keys, mixed, 99);
        Path data = generate(scenario, events, keys, mixed, 7);
        System.out.printf(Locale.ROOT, "scenario %s: %d events (%d MB) after %d warm-up, %d keys, forward all: %s%n",
                scenario, events, Files.size(data) >> 20, warmup, keys, forwardAll);
        List<Result> eve = new ArrayList<>();
        List<Result> fever = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            double decodeRate = vsJmh ? jmhDecodeRate() : Double.NaN;
            Result e = runEveflow(jar, jvmOpts, warm, data, events, warmup, forwardAll, keys, decodeThreads,
                    flushtime);
            eve.add(e);
            System.out.println("eveflow rep " + (r + 1) + ": " + e);
            if (vsJmh) {
                shares.add(e.eventsPerSec / decodeRate);
                System.out.printf(Locale.ROOT, "JMH     rep %d: decodeBatchOfLines %,.0f lines/s on one core just "
                        + "before: eveflow end to end %.0f %% of it%n", r + 1, decodeRate, 100 * e.eventsPerSec / decodeRate);
            }
            if (vsFever) {
                Result f = runFever(warm, data, events, warmup, forwardAll);
                fever.add(f);
                System.out.println("FEVER   rep " + (r + 1) + ": " + f);
            }
        }
        System.out.println(summary("eveflow", eve));
        if (vsJmh) {
            double[] v = shares.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "end to end as a share of the JMH decode rate taken just before: median %.0f %%"
                    + " (min %.0f, max %.0f)%n", 100 * medianOf(v), 100 * v[0], 100 * v[v.length - 1]);
        }
        if (vsFever) {
            System.out.println(summary("FEVER", fever));
            System.out.printf(Locale.ROOT, "ratio (median events/s): %.2fx, peak RSS: %.0f%% of FEVER's%n",
                    median(eve, x -> x.eventsPerSec) / median(fever, x -> x.eventsPerSec),
                    100 * median(eve, x -> x.peakRssMb) / median(fever, x -> x.peakRssMb));
        }
    }

    /** One run's numbers. */
    static final class Result {
        double eventsPerSec;
        double cpuSeconds;
        double peakRssMb;
        long linesOut;
        double longestBlockedWriteMs;
        /** When that write began, in seconds since the process started (to match its GC log), or NaN. */
        double longestBlockedAtSeconds = Double.NaN;
        /** The longest blocked write that overlapped one of eveflow's flushes, and the longest that did not. */
        double longestDuringFlushMs = Double.NaN;
        double longestOutsideFlushMs = Double.NaN;
        int flushes;
        String drops = "";

        void blocked(Sent sent, ProcessHandle process) {
            long[] longest = sent.longest();
            longestBlockedWriteMs = longest[1] / 1e6;
            java.util.Optional<java.time.Instant> started = process.info().startInstant();
            if (started.isPresent()) {
                longestBlockedAtSeconds = java.time.Duration.between(started.get(), sent.instant(longest[0]))
                        .toMillis() / 1e3;
            }
        }

        /**
         * Sorts the blocked writes of {@code sent} by whether they overlapped a flush that ended in the
         * measured stream, from eveflow's debug log lines "flushed N aggregates of M flows in X ms"
         * (logged at its end: it ran from X ms before the line's timestamp, which has millisecond
         * precision).
         */
        void flushPauses(Sent sent, String log) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?m)^(\\S+Z) .*flushed \\d+ aggregates of \\d+ flows in (\\d+) ms").matcher(log);
            List<java.time.Instant[]> spans = new ArrayList<>();
            java.time.Instant from = sent.instant(sent.startNanos);
            java.time.Instant to = sent.instant(sent.endNanos);
            while (m.find()) {
                java.time.Instant end = java.time.Instant.parse(m.group(1)).plusMillis(1);
                java.time.Instant start = end.minusMillis(Long.parseLong(m.group(2)) + 1);
                if (end.isAfter(from) && start.isBefore(to)) {
                    spans.add(new java.time.Instant[] {start, end});
                }
            }
            flushes = spans.size();
            double during = 0;
            double outside = 0;
            for (long[] w : sent.calls) {
                if (w[1] < Sent.NOTED) {
                    continue;
                }
                java.time.Instant a = sent.instant(w[0]);
                java.time.Instant b = sent.instant(w[0] + w[1]);
                boolean overlaps = spans.stream().anyMatch(f -> b.isAfter(f[0]) && a.isBefore(f[1]));
                if (overlaps) {
                    during = Math.max(during, w[1] / 1e6);
                } else {
                    outside = Math.max(outside, w[1] / 1e6);
                }
            }
            longestDuringFlushMs = during;
            longestOutsideFlushMs = outside;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f events/s, %.1f CPU s, peak RSS %.0f MB, %d lines out, "
                    + "longest blocked write %.0f ms (at %.1f s of its uptime)%s%s", eventsPerSec, cpuSeconds, peakRssMb,
                    linesOut, longestBlockedWriteMs, longestBlockedAtSeconds, flushes == 0 ? ""
                            : String.format(Locale.ROOT, " (%d flushes while sending: longest during one %.0f ms, "
                                    + "outside them %.0f ms)", flushes, longestDuringFlushMs, longestOutsideFlushMs),
                    drops.isEmpty() ? "" : ", " + drops);
        }
    }

    /** JMH's score for the daemon's batch decoding on one core (lines/s), in a fork of its own. */
    private static double jmhDecodeRate() throws Exception {
        org.openjdk.jmh.runner.options.Options o = new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(org.eveflow.event.EveParserBench.class.getName() + ".decodeBatchOfLines$")
                .forks(1).warmupIterations(3).measurementIterations(3)
                .verbosity(org.openjdk.jmh.runner.options.VerboseMode.SILENT)
                .build();
        java.util.Collection<org.openjdk.jmh.results.RunResult> results = new org.openjdk.jmh.runner.Runner(o).run();
        return results.iterator().next().getPrimaryResult().getScore();
    }

    private static Path generate(String name, long count, int keys, boolean mixed, long seed) throws IOException {
        Path f = DIR.resolve(name + "-" + count + ".eve");
        if (Files.exists(f)) {
            return f;
        }
        SplittableRandom r = new SplittableRandom(seed);
        Path tmp = DIR.resolve(name + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
            for (long i = 0; i < count; i++) {
                String line = mixed && i % 4 == 3 ? BenchData.other(r, (int) i) : BenchData.flow(r, r.nextInt(keys));
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }
        Files.move(tmp, f);
        return f;
    }

    private static Result runEveflow(String jar, String jvmOpts, Path warm, Path data, long events, long warmup,
                                     boolean forwardAll, int keys, String decodeThreads, String flushtime)
            throws Exception {
        Path in = DIR.resolve("in.sock");
        Path out = DIR.resolve("out.sock");
        Path cfg = DIR.resolve("eveflow-bench.yaml");
        Files.writeString(cfg, (decodeThreads == null ? "" : "input:\n  decode-threads: " + decodeThreads + "\n")
                + "aggregate:\n  max-keys: " + Math.max(100_000, 2 * keys) + "\n"
                + "outputs:\n  default:\n    socket: " + out + "\n    all: " + forwardAll
                // raw lines are dropped when an output's buffer is full (ingest never waits for an
                // output), so forwarding everything losslessly at full speed needs a large one; the
                // flush waits for room instead, so aggregates alone use the default buffer
                + (forwardAll ? "\n    buffer-lines: 10000000\n    buffer-bytes: 4GiB" : "")
                + "\nshutdown-grace: 120s\nstats:\n  interval: 200ms\n"
                + "logging:\n  level: debug\n" // each flush's end and duration, to tell pauses during a flush apart
                + extraYaml);
        Files.deleteIfExists(in);
        try (Sink sink = new Sink(out)) {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Collections.addAll(cmd, jvmOpts.trim().split("\\s+"));
            if (forwardAll) {
                // room for the 4 GiB buffer (5/4 of it as pooled, docs/operations.md "Memory sizing"): with the unit's 256m
                // eveflow would cut the buffer to fit, and drop lines whenever the reader falls behind
                cmd.add("-XX:MaxDirectMemorySize=6g");
            }
            Collections.addAll(cmd, "-jar", jar, "run", "--config", cfg.toString(), "-i", in.toString(), "-f",
                    flushtime);
            Path log = DIR.resolve("eveflow.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            waitFor(() -> Files.exists(in), p, 60);
            send(warm, in); // warm-up
            waitFor(() -> Files.readString(log).contains("lines_received=" + warmup + " "), p, 120);
            Monitor m = new Monitor(p.pid());
            long t0 = System.nanoTime();
            double cpu0 = m.cpuSeconds();
            ThreadTimes before = threads ? new ThreadTimes(p.pid()) : null;
            ThreadTimes benchBefore = threads ? new ThreadTimes(ProcessHandle.current().pid()) : null;
            Result r = new Result();
            Sent sent = send(data, in);
            r.blocked(sent, p.toHandle());
            if (threads) {
                double wall = (System.nanoTime() - t0) / 1e9;
                System.out.print(new ThreadTimes(p.pid()).since(before, "eveflow", wall));
                System.out.print(new ThreadTimes(ProcessHandle.current().pid()).since(benchBefore, "bench", wall));
            }
            p.destroy(); // SIGTERM: read to EOF, final flush, drain
            p.waitFor(300, TimeUnit.SECONDS);
            m.stop();
            r.eventsPerSec = events / ((sink.lastLineNanos.get() - t0) / 1e9);
            r.cpuSeconds = m.lastCpu - cpu0;
            r.peakRssMb = m.peakRssKb / 1024.0;
            r.linesOut = sink.lines.get();
            String text = Files.readString(log);
            r.flushPauses(sent, text);
            r.drops = lastValue(text, "flows_refused") + " flows refused, " + lastValue(text, "outputs_dropped")
                    + " output drops, " + lastValue(text, "lines_malformed") + " malformed";
            return r;
        }
    }

    private static Result runFever(Path warm, Path data, long events, long warmup, boolean forwardAll) throws Exception {
        Path in = DIR.resolve("fever-in.sock");
        Path out = DIR.resolve("fever-out.sock");
        Path cfg = DIR.resolve("fever-bench.yaml");
        // Lossless FEVER: blocking input buffer and a multi-forward output with a large buffer-length;
        // nothing else (a flowreport section alone made FEVER 2-4x slower and use 10+ GB here).
        // Without forwarding there is no multi-forward section at all (an output with no types still
        // buffered every event: 10+ GB RSS and half the speed).
        Files.writeString(cfg, "input:\n  socket: " + in + "\n  buffer: 500000\n  buffer-drop: false\n"
                + (forwardAll ? "multi-forward:\n  socketall:\n    socket: " + out
                        + "\n    buffer-length: 10000000\n    all: true\n    types: []\n" : "")
                + "mgmt:\n  socket: " + DIR.resolve("fever-mgmt.sock") + "\n");
        Files.deleteIfExists(in);
        try (Sink sink = new Sink(out)) {
            Path log = DIR.resolve("fever.log");
            Process p = new ProcessBuilder("fever", "run", "--config", cfg.toString(), "-i", in.toString(),
                    "--in-buffer-drop=false", "-f", "1h", "--dummy", "-o", "")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            waitFor(() -> Files.exists(in), p, 60);
            long before = sink.lines.get();
            Monitor m = new Monitor(p.pid());
            send(warm, in); // warm-up
            if (forwardAll) {
                waitFor(() -> sink.lines.get() >= before + warmup, p, 300);
            } else {
                m.awaitIdle(p); // FEVER queues up to 500,000 parsed events: let it finish the warm-up's
            }
            long start = sink.lines.get();
            long t0 = System.nanoTime();
            double cpu0 = m.cpuSeconds();
            Result r = new Result();
            r.blocked(send(data, in), p.toHandle());
            long readEnd = System.nanoTime();
            long t1;
            if (forwardAll) {
                waitFor(() -> sink.lines.get() >= start + events, p, 600);
                t1 = sink.lastLineNanos.get();
            } else {
                // nothing to count at an output: FEVER aggregates into a discarding database sink and
                // has no final flush, so its clock stops when it has worked off its queue (went idle)
                t1 = m.awaitIdle(p);
                r.drops = String.format(Locale.ROOT, "(no forwarding: clock stopped when FEVER went idle, %.0f ms"
                        + " after it had read the last byte; %,.0f events/s up to that byte)", (t1 - readEnd) / 1e6,
                        events / ((readEnd - t0) / 1e9));
            }
            double cpu1 = m.cpuSeconds();
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            m.stop();
            r.eventsPerSec = events / ((t1 - t0) / 1e9);
            r.cpuSeconds = cpu1 - cpu0;
            r.peakRssMb = m.peakRssKb / 1024.0;
            r.linesOut = sink.lines.get();
            return r;
        }
    }

    private static String lastValue(String log, String name) {
        int at = log.lastIndexOf(name + "=");
        if (at < 0) {
            return "?";
        }
        int end = at + name.length() + 1;
        while (end < log.length() && Character.isDigit(log.charAt(end))) {
            end++;
        }
        return log.substring(at + name.length() + 1, end);
    }

    /**
     * Sends a file over one connection, as fast as the reader takes it, with sendfile (FileChannel.transferTo):
     * one copy, from the page cache into the socket, as Suricata's writes copy from its own memory once
     * (a read into a buffer and a write from it made the sender cost twice that). Returns how long its
     * calls blocked (pauses in the reader's reads, e.g. during a flush).
     */
    private static Sent send(Path file, Path socket) throws IOException {
        List<long[]> calls = new ArrayList<>();
        long startNanos = System.nanoTime();
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
             FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            long size = f.size();
            long pos = 0;
            while (pos < size) {
                long w0 = System.nanoTime();
                pos += f.transferTo(pos, Math.min(1 << 20, size - pos), c);
                calls.add(new long[] {w0, System.nanoTime() - w0});
            }
        }
        return new Sent(startNanos, System.nanoTime(), calls);
    }

    /**
     * One sent stream: from and to (System.nanoTime), and each call (1 MiB at most: a few thousand) with
     * when it began and how long it took, in nanos.
     */
    static final class Sent {
        /** Shorter calls are not pauses worth sorting by flush. */
        static final long NOTED = 10_000_000L;
        final long startNanos;
        final long endNanos;
        final List<long[]> calls;
        private final long wallAtEnd = System.currentTimeMillis() * 1_000_000L;
        private final long nanoAtEnd = System.nanoTime();

        Sent(long startNanos, long endNanos, List<long[]> calls) {
            this.startNanos = startNanos;
            this.endNanos = endNanos;
            this.calls = calls;
        }

        /** The call that took longest: when it began, how long it took. */
        long[] longest() {
            long[] longest = {startNanos, 0};
            for (long[] c : calls) {
                if (c[1] > longest[1]) {
                    longest = c;
                }
            }
            return longest;
        }

        /** A System.nanoTime of this stream as a wall-clock instant (the daemon's log uses those). */
        java.time.Instant instant(long nanos) {
            long wall = wallAtEnd - (nanoAtEnd - nanos);
            return java.time.Instant.ofEpochSecond(0, wall);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check c, Process p, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException("process exited or timed out (see logs in " + DIR + ")");
            }
            Thread.sleep(20);
        }
    }

    private static double median(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
        return medianOf(rs.stream().mapToDouble(f).sorted().toArray());
    }

    private static double medianOf(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String summary(String who, List<Result> rs) {
        double[] eps = rs.stream().mapToDouble(x -> x.eventsPerSec).sorted().toArray();
        double[] rss = rs.stream().mapToDouble(x -> x.peakRssMb).sorted().toArray();
        return String.format(Locale.ROOT, "%s: median %,.0f events/s (min %,.0f, max %,.0f), median CPU %.1f s, "
                + "median peak RSS %.0f MB (min %.0f, max %.0f)", who, median(rs, x -> x.eventsPerSec), eps[0],
                eps[eps.length - 1], median(rs, x -> x.cpuSeconds), median(rs, x -> x.peakRssMb), rss[0],
                rss[rss.length - 1]);
    }

    /** Counts lines arriving at an output socket and when the last one came. */
    static final class Sink implements AutoCloseable {
        final AtomicLong lines = new AtomicLong();
        final AtomicLong lastLineNanos = new AtomicLong();
        private final ServerSocketChannel server;
        private final Path path;

        Sink(Path path) throws IOException {
            this.path = path;
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        SocketChannel c = server.accept();
                        Thread r = new Thread(() -> read(c));
                        r.setDaemon(true);
                        r.start();
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
        }

        private void read(SocketChannel c) {
            // a heap buffer: counting over its array costs ~0.07 s of CPU per 300 MB, ByteBuffer.get(i)
            // on a direct one ~0.6 s, taken from the two cores the daemon runs on during its final flush
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            byte[] a = b.array();
            try (c) {
                int n;
                while ((n = c.read(b)) >= 0) {
                    long count = 0;
                    for (int i = 0; i < n; i++) {
                        if (a[i] == '\n') {
                            count++;
                        }
                    }
                    if (count > 0) {
                        lines.addAndGet(count);
                        lastLineNanos.set(System.nanoTime());
                    }
                    b.clear();
                }
            } catch (IOException e) {
                // reader gone
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            Files.deleteIfExists(path);
        }
    }

    /**
     * Each thread's CPU time and run-queue wait (/proc/PID/task/TID/schedstat), summed by thread name
     * with digits taken out (the two decode threads are one row).
     */
    static final class ThreadTimes {
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

    /** Polls /proc for the process's CPU time and peak RSS (VmHWM) until stopped. */
    static final class Monitor {
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
                    throw new IllegalStateException("process exited or did not go idle (see logs in " + DIR + ")");
                }
            }
        }

        void stop() {
            stopped = true;
        }
    }
}

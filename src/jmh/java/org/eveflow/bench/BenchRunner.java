package org.eveflow.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Runs one repetition of the end-to-end bench against eveflow (the built jar as a process) or FEVER:
 * starts it with a config written for the scenario, sends the warm-up and then the measured stream
 * over one Unix socket connection each, as fast as it reads, counts what arrives at its output, and
 * measures CPU, peak RSS and the pauses in its reading (from the sender's blocked writes). Its
 * settings are fixed at construction; not thread-safe.
 */
final class BenchRunner {
    private final Path dir;
    /** Extra eveflow config (e.g. add-fields). */
    private final String extraYaml;
    /** Print each thread's CPU and run-queue wait while the measured stream was sent. */
    private final boolean threads;
    /** The command that runs eveflow's JVM: this bench's java, or another's (e.g. in the Debian 13 root). */
    private final List<String> javaCommand;

    /** With a port: eveflow serves its Prometheus endpoint there and a {@link Scraper} scrapes it during the stream. */
    private int prometheusPort;
    /** The last run's scrapes, when there were. */
    String lastScrapes;

    /** eveflow serves /metrics on {@code port} and is scraped every second while the stream is sent. */
    BenchRunner scraped(int port) {
        this.prometheusPort = port;
        return this;
    }

    BenchRunner(Path dir, String extraYaml, boolean threads) {
        this(dir, extraYaml, threads, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    }

    BenchRunner(Path dir, String extraYaml, boolean threads, List<String> java) {
        this.dir = dir;
        this.extraYaml = extraYaml;
        this.threads = threads;
        this.javaCommand = List.copyOf(java);
    }

    /** The JVM among {@code p} and what it started (a launcher's child), once it runs; else {@code p}. */
    private static ProcessHandle jvm(Process p) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<ProcessHandle> j = Stream.concat(Stream.of(p.toHandle()), p.descendants())
                    .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
            if (j.isPresent()) {
                return j.get();
            }
            Thread.sleep(10);
        }
        return p.toHandle();
    }

    /**
     * {@code restart}: the daemon is started just before the measured stream (no warm-up stream: its
     * JIT compiles while it reads, as after a restart under load); otherwise the warm-up stream goes first.
     */
    BenchReport.Result runEveflow(String jar, String jvmOpts, Path warm, Path data, long events, long warmup,
                                     boolean forwardAll, int keys, String decodeThreads, String flushtime,
                                     boolean restart) throws Exception {
        long lines = Math.max(events, warmup);
        long bytes = Math.max(Files.size(data), Files.size(warm)) + (64L << 20);
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path cfg = dir.resolve("eveflow-bench.yaml");
        Files.writeString(cfg, (decodeThreads == null ? "" : "input:\n  decode-threads: " + decodeThreads + "\n")
                + "aggregate:\n  max-keys: auto\n"
                + "outputs:\n  default:\n    socket: " + out + "\n    all: " + forwardAll
                // raw lines are dropped when an output's buffer is full (ingest never waits for an
                // output), so forwarding everything losslessly at full speed needs one that holds the
                // stream, as FEVER's buffer-length must (the smallest lossless one for both); the flush
                // waits for room instead, so aggregates alone use the default buffer
                + (forwardAll ? "\n    buffer-lines: " + lines + "\n    buffer-bytes: " + bytes : "")
                + "\nshutdown-grace: 120s\nstats:\n  interval: 200ms\n"
                + "logging:\n  level: debug\n" // each flush's end and duration, to tell pauses during a flush apart
                + extraYaml);
        Files.deleteIfExists(in);
        try (Sink sink = new Sink(out)) {
            List<String> cmd = new ArrayList<>();
            cmd.addAll(javaCommand);
            Collections.addAll(cmd, jvmOpts.trim().split("\\s+"));
            if (forwardAll) {
                // room for that buffer (5/4 of it as pooled, docs/operations.md "Memory sizing"): with the unit's
                // 256m eveflow would cut the buffer to fit, and drop lines whenever the reader falls behind
                cmd.add("-XX:MaxDirectMemorySize=" + ((bytes + bytes / 4 + (512L << 20)) >> 20) + "m");
            }
            Collections.addAll(cmd, "-jar", jar, "run", "--config", cfg.toString(), "-i", in.toString(), "-f",
                    flushtime);
            if (prometheusPort > 0) {
                Collections.addAll(cmd, "--prometheus-listen", "127.0.0.1:" + prometheusPort);
            }
            Path log = dir.resolve("eveflow.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            waitFor(() -> Files.exists(in), p, 60);
            // scraped all along, as Prometheus would; only the scrapes during the measured stream count
            Scraper scraper = prometheusPort > 0 ? new Scraper(prometheusPort, 1_000) : null;
            ProcessHandle jvm = jvm(p);
            BenchReport.Result r = new BenchReport.Result();
            if (!restart) {
                // forwarding, each pass's lines are also read out first, so the measured stream starts
                // with an empty output buffer (as FEVER's warm-up waits for its lines)
                r.warmupPasses = warmUp(warm, in, log, p, jvm, warmup, forwardAll ? sink : null);
            }
            cache(data);
            Monitor m = new Monitor(jvm.pid());
            long t0 = System.nanoTime();
            double cpu0 = m.cpuSeconds();
            ThreadTimes before = new ThreadTimes(jvm.pid());
            ThreadTimes benchBefore = threads ? new ThreadTimes(ProcessHandle.current().pid()) : null;
            if (scraper != null) {
                scraper.measuring = true;
            }
            Sent sent = send(data, in);
            if (scraper != null) {
                scraper.close();
                lastScrapes = scraper.summary();
            }
            r.blocked(sent, jvm);
            ThreadTimes after = new ThreadTimes(jvm.pid());
            r.jitSeconds = after.compilerSeconds() - before.compilerSeconds();
            if (threads) {
                double wall = (System.nanoTime() - t0) / 1e9;
                System.out.print(after.since(before, "eveflow", wall));
                System.out.print(new ThreadTimes(ProcessHandle.current().pid()).since(benchBefore, "bench", wall));
            }
            p.destroy(); // SIGTERM: read to EOF, final flush, drain
            p.waitFor(300, TimeUnit.SECONDS);
            m.stop();
            r.eventsPerSec = events / ((sink.lastLineNanos.get() - t0) / 1e9);
            r.cpuSeconds = m.lastCpu - cpu0;
            r.events = events;
            r.peakRssMb = m.peakRssKb / 1024.0;
            r.linesOut = sink.lines.get();
            String text = Files.readString(log);
            r.flushPauses(sent, text);
            r.drops = lastValue(text, "flows_refused") + " flows refused, " + lastValue(text, "outputs_dropped")
                    + " output drops, " + lastValue(text, "lines_malformed") + " malformed";
            return r;
        }
    }

    /** At most this many passes of the warm-up stream before the warmed-up row's measured stream. */
    static final int MAX_WARMUP_PASSES = 8;
    /** The JIT counts as settled when its compiler threads took less than this share of a pass's CPU. */
    static final double SETTLED_JIT_SHARE = 0.03;

    /**
     * Sends the warm-up stream until the daemon's JIT has settled: a pass in which its compiler threads
     * used less than {@value #SETTLED_JIT_SHARE} of its CPU, or {@value #MAX_WARMUP_PASSES} passes. A
     * daemon that has run for a while on a sensor compiled its hot code long ago; one pass of 1M events
     * (about a second) left the compiler a fifth of the measured stream's CPU. The restart row keeps
     * the JIT inside the measurement. With {@code forwarded}, each pass waits until its lines came out.
     * Returns the passes sent.
     */
    private int warmUp(Path warm, Path in, Path log, Process p, ProcessHandle jvm, long warmup, Sink forwarded)
            throws Exception {
        for (int pass = 1; ; pass++) {
            ThreadTimes before = new ThreadTimes(jvm.pid());
            send(warm, in);
            long received = warmup * pass;
            waitFor(() -> Files.readString(log).contains("lines_received=" + received + " "), p, 120);
            if (forwarded != null) {
                waitFor(() -> forwarded.lines.get() >= received, p, 300);
            }
            ThreadTimes after = new ThreadTimes(jvm.pid());
            double jit = after.compilerSeconds() - before.compilerSeconds();
            double all = after.cpuSeconds() - before.cpuSeconds();
            if (pass == MAX_WARMUP_PASSES || jit < SETTLED_JIT_SHARE * all) {
                return pass;
            }
        }
    }

    /** As {@link #runEveflow}: {@code restart} skips the warm-up stream. */
    BenchReport.Result runFever(Path warm, Path data, long events, long warmup, boolean forwardAll, boolean restart)
            throws Exception {
        Path in = dir.resolve("fever-in.sock");
        Path out = dir.resolve("fever-out.sock");
        Path cfg = dir.resolve("fever-bench.yaml");
        // Lossless FEVER: blocking input buffer and a multi-forward output whose buffer-length holds the
        // stream (the smallest that loses nothing when the reader is slower than FEVER; larger ones only
        // cost it memory);
        // nothing else (a flowreport section alone made FEVER 2-4x slower and use 10+ GB here).
        // Without forwarding there is no multi-forward section at all (an output with no types still
        // buffered every event: 10+ GB RSS and half the speed).
        Files.writeString(cfg, "input:\n  socket: " + in + "\n  buffer: 500000\n  buffer-drop: false\n"
                + (forwardAll ? "multi-forward:\n  socketall:\n    socket: " + out
                        + "\n    buffer-length: " + Math.max(events, warmup) + "\n    all: true\n    types: []\n" : "")
                + "mgmt:\n  socket: " + dir.resolve("fever-mgmt.sock") + "\n");
        Files.deleteIfExists(in);
        try (Sink sink = new Sink(out)) {
            Path log = dir.resolve("fever.log");
            Process p = new ProcessBuilder("fever", "run", "--config", cfg.toString(), "-i", in.toString(),
                    "--in-buffer-drop=false", "-f", "1h", "--dummy", "-o", "")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            waitFor(() -> Files.exists(in), p, 60);
            long before = sink.lines.get();
            Monitor m = new Monitor(p.pid());
            if (!restart) {
                send(warm, in); // warm-up
                if (forwardAll) {
                    waitFor(() -> sink.lines.get() >= before + warmup, p, 300);
                } else {
                    m.awaitIdle(p); // FEVER queues up to 500,000 parsed events: let it finish the warm-up's
                }
            }
            cache(data);
            long start = sink.lines.get();
            long t0 = System.nanoTime();
            double cpu0 = m.cpuSeconds();
            BenchReport.Result r = new BenchReport.Result();
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
            r.events = events;
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
    static Sent send(Path file, Path socket) throws IOException {
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
     * Reads the measured stream through just before the clock starts, so its send comes from the page
     * cache for either daemon, whatever ran before (FEVER forwarding holds ~7 GB).
     */
    private static void cache(Path file) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
            while (f.read(b) >= 0) {
                b.clear();
            }
        }
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

    private void waitFor(Check c, Process p, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException("process exited or timed out (see logs in " + dir + ")");
            }
            Thread.sleep(20);
        }
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
}

package org.eveflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
 * <pre>java -cp target/benchmarks.jar org.eveflow.bench.EndToEndBench --help</pre>
 * Scenarios: flows-10k (no raw forwarding), fwd-10k (-T, forward everything), flows-1m (1M keys),
 * mixed-10k (flows plus alert/dns, forwarded).
 */
@Command(name = "EndToEndBench", mixinStandardHelpOptions = true,
        description = "eveflow (and FEVER) end to end: a generated stream over a Unix socket, as fast as it reads.")
public final class EndToEndBench implements Callable<Integer> {
    private static final Path DIR = Path.of("/tmp/evf-bench");

    @Option(names = "--scenario", description = "flows-10k, fwd-10k, flows-1m or mixed-10k (default: ${DEFAULT-VALUE})")
    String scenario = "fwd-10k";

    @Option(names = "--events", description = "measured events (default: ${DEFAULT-VALUE})")
    long events = 4_000_000;

    @Option(names = "--warmup", description = "warm-up events before the measured stream (default: ${DEFAULT-VALUE})")
    long warmup = 1_000_000;

    @Option(names = "--reps", description = "repetitions (default: ${DEFAULT-VALUE})")
    int reps = 3;

    @Option(names = "--vs-fever", description = "run FEVER 1.3.7 alternately on the same streams")
    boolean vsFever;

    @Option(names = "--vs-java21", description = "run eveflow also on OpenJDK 21 in the Debian 13 root"
            + " (src/test/sh/debian13-root.sh), alternately with this JVM, on the same streams and options")
    boolean vsJava21;

    @Option(names = "--vs-jmh", description = "run JMH's decodeBatchOfLines before each repetition")
    boolean vsJmh;

    @Option(names = "--vs-prometheus", description = "run eveflow also with its Prometheus endpoint on, scraped every"
            + " second while the stream is sent, alternately with it off")
    boolean vsPrometheus;

    @Option(names = "--jar", description = "the eveflow jar (default: ${DEFAULT-VALUE})")
    String jar = "target/eveflow.jar";

    @Option(names = "--jvm-opts", description = "eveflow's JVM options (default: EVEFLOW_JAVA_OPTS of systemd/eveflow.default)")
    String jvmOpts;

    @Option(names = "--decode-threads", description = "input.decode-threads (default: eveflow's)")
    String decodeThreads;

    @Option(names = "--flushtime", description = "eveflow's flush interval (default: ${DEFAULT-VALUE})")
    String flushtime = "1h";

    @Option(names = "--threads", description = "each thread's CPU and run-queue wait while the stream was sent")
    boolean threads;

    @Option(names = "--rows", split = ",", description = "warm (after a warm-up stream) and/or restart (the daemon"
            + " started just before the stream, JIT warm-up included) (default: ${DEFAULT-VALUE})")
    List<String> rows = List.of("warm", "restart");

    @Option(names = "--add-fields", description = "two add-fields (one with escaped quotes) on every line")
    boolean addFields;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EndToEndBench()).setExecutionExceptionHandler((ex, cl, parsed) -> {
            if (!(ex instanceof IllegalStateException)) {
                throw ex; // a bug: with its stack trace
            }
            cl.getErr().println("EndToEndBench: " + ex.getMessage());
            return 2;
        }).execute(args));
    }

    /** EVEFLOW_JAVA_OPTS of the package's /etc/default/eveflow (systemd/eveflow.default): the defaults a user gets. */
    static String packagedJavaOpts() throws java.io.IOException {
        Path defaults = Path.of("systemd/eveflow.default");
        if (!Files.exists(defaults)) {
            throw new IllegalStateException("run from the project's directory (no " + defaults.toAbsolutePath()
                    + "), or give --jvm-opts");
        }
        for (String line : Files.readAllLines(defaults)) {
            if (line.startsWith("EVEFLOW_JAVA_OPTS=")) {
                return line.substring("EVEFLOW_JAVA_OPTS=".length()).replace("\"", "").trim();
            }
        }
        throw new IllegalStateException("no EVEFLOW_JAVA_OPTS in systemd/eveflow.default");
    }

    @Override
    public Integer call() throws Exception {
        if (jvmOpts == null) {
            jvmOpts = packagedJavaOpts();
        }
        String extraYaml = addFields ? "add-fields:\n  sensor-id: sensor-07\n  site: \"hq \\\"north\\\"\"\n" : "";
        BenchRunner runner = new BenchRunner(DIR, extraYaml, threads);
        Files.createDirectories(DIR);
        BenchRunner runner21 = vsJava21 ? Java21Root.runner(DIR, extraYaml, threads) : null;
        BenchRunner scraped = vsPrometheus ? new BenchRunner(DIR, extraYaml, threads).scraped(freePort()) : null;
        java.util.Map<String, List<BenchReport.Result>> eveScraped = new java.util.LinkedHashMap<>();
        String jar21 = vsJava21 ? Java21Root.jar(DIR, jar) : null;
        int keys = scenario.contains("1m") ? 1_000_000 : 10_000;
        boolean mixed = scenario.startsWith("mixed");
        boolean forwardAll = scenario.startsWith("fwd") || mixed;
        Path warm = StreamGenerator.generate(DIR, "warmup-" + scenario, warmup, keys, mixed, 99);
        Path data = StreamGenerator.generate(DIR, scenario, events, keys, mixed, 7);
        System.out.printf(Locale.ROOT, "scenario %s: %d events (%d MB) after %d warm-up, %d keys, forward all: %s%n",
                scenario, events, Files.size(data) >> 20, warmup, keys, forwardAll);
        java.util.Map<String, List<BenchReport.Result>> eve = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<BenchReport.Result>> fever = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<BenchReport.Result>> eve21 = new java.util.LinkedHashMap<>();
        List<Double> shares = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            for (String row : rows) {
                boolean restart = row.equals("restart");
                double decodeRate = vsJmh ? jmhDecodeRate() : Double.NaN;
                BenchReport.Result e = runner.runEveflow(jar, jvmOpts, warm, data, events, warmup, forwardAll, keys,
                        decodeThreads, flushtime, restart);
                eve.computeIfAbsent(row, k -> new ArrayList<>()).add(e);
                System.out.println("eveflow " + row + " rep " + (r + 1) + ": " + e);
                if (vsJmh) {
                    shares.add(e.eventsPerSec / decodeRate);
                    System.out.printf(Locale.ROOT, "JMH     rep %d: decodeBatchOfLines %,.0f lines/s on one core just "
                            + "before: eveflow end to end %.0f %% of it%n", r + 1, decodeRate, 100 * e.eventsPerSec / decodeRate);
                }
                if (vsJava21) {
                    BenchReport.Result j = runner21.runEveflow(jar21, jvmOpts, warm, data, events, warmup, forwardAll, keys,
                            decodeThreads, flushtime, restart);
                    eve21.computeIfAbsent(row, k -> new ArrayList<>()).add(j);
                    System.out.println("eveflow on OpenJDK 21 " + row + " rep " + (r + 1) + ": " + j);
                }
                if (vsPrometheus) {
                    BenchReport.Result p = scraped.runEveflow(jar, jvmOpts, warm, data, events, warmup, forwardAll, keys,
                            decodeThreads, flushtime, restart);
                    eveScraped.computeIfAbsent(row, k -> new ArrayList<>()).add(p);
                    System.out.println("eveflow scraped " + row + " rep " + (r + 1) + ": " + p + "; " + scraped.lastScrapes);
                }
                if (vsFever) {
                    BenchReport.Result f = runner.runFever(warm, data, events, warmup, forwardAll, restart);
                    fever.computeIfAbsent(row, k -> new ArrayList<>()).add(f);
                    System.out.println("FEVER   " + row + " rep " + (r + 1) + ": " + f);
                }
            }
        }
        for (String row : rows) {
            System.out.println(BenchReport.summary("eveflow " + row, eve.get(row)));
            if (vsJava21) {
                List<BenchReport.Result> e = eve.get(row);
                List<BenchReport.Result> j = eve21.get(row);
                System.out.println(BenchReport.summary("eveflow on OpenJDK 21 " + row, j));
                System.out.println(row + " OpenJDK 21 against 17 (medians): " + BenchReport.ratios(j, e));
            }
            if (vsPrometheus) {
                List<BenchReport.Result> p = eveScraped.get(row);
                System.out.println(BenchReport.summary("eveflow scraped " + row, p));
                System.out.println(row + " scraped against not (medians): " + BenchReport.ratios(p, eve.get(row)));
            }
            if (vsFever) {
                List<BenchReport.Result> e = eve.get(row);
                List<BenchReport.Result> f = fever.get(row);
                System.out.println(BenchReport.summary("FEVER " + row, f));
                System.out.println(row + " eveflow against FEVER (medians): " + BenchReport.ratios(e, f));
            }
        }
        if (vsJmh) {
            double[] v = shares.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "end to end as a share of the JMH decode rate taken just before: median %.0f %%"
                    + " (min %.0f, max %.0f)%n", 100 * BenchReport.medianOf(v), 100 * v[0], 100 * v[v.length - 1]);
        }
        return 0;
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
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
}

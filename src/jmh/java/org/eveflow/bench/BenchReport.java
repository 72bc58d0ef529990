package org.eveflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-to-end bench's results: one run's numbers, and medians and ranges over repetitions. */
final class BenchReport {
    private BenchReport() {
    }

    /** One run's numbers. */
    static final class Result {
        double eventsPerSec;
        double cpuSeconds;
        long events;
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
        /** eveflow: its JIT compiler threads' CPU seconds in the measured stream (part of cpuSeconds), NaN for FEVER. */
        double jitSeconds = Double.NaN;
        /** eveflow's warmed-up row: passes of the warm-up stream before the measured one. */
        int warmupPasses;

        void blocked(BenchRunner.Sent sent, ProcessHandle process) {
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
        void flushPauses(BenchRunner.Sent sent, String log) {
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
                if (w[1] < BenchRunner.Sent.NOTED) {
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

        /** The daemon's CPU seconds per million events measured. */
        double cpuPerMillion() {
            return cpuSeconds / (events / 1e6);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,.0f events/s, %.1f CPU s (%.2f s per M events%s)%s, peak RSS %.0f MB, %d lines out, "
                    + "longest blocked write %.0f ms (at %.1f s of its uptime)%s%s", eventsPerSec, cpuSeconds,
                    cpuPerMillion(), Double.isNaN(jitSeconds) ? ""
                            : String.format(Locale.ROOT, ", JIT %.2f s of it", jitSeconds),
                    warmupPasses == 0 ? "" : String.format(Locale.ROOT, " after %d warm-up passes", warmupPasses),
                    peakRssMb,
                    linesOut, longestBlockedWriteMs, longestBlockedAtSeconds, flushes == 0 ? ""
                            : String.format(Locale.ROOT, " (%d flushes while sending: longest during one %.0f ms, "
                                    + "outside them %.0f ms)", flushes, longestDuringFlushMs, longestOutsideFlushMs),
                    drops.isEmpty() ? "" : ", " + drops);
        }
    }

    static double median(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
        return medianOf(rs.stream().mapToDouble(f).sorted().toArray());
    }

    static double medianOf(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String summary(String who, List<Result> rs) {
        double[] eps = rs.stream().mapToDouble(x -> x.eventsPerSec).sorted().toArray();
        double[] rss = rs.stream().mapToDouble(x -> x.peakRssMb).sorted().toArray();
        double jit = median(rs, x -> x.jitSeconds);
        return String.format(Locale.ROOT, "%s: median %,.0f events/s (min %,.0f, max %,.0f), median CPU %.1f s "
                + "(%.2f s per M events%s), median peak RSS %.0f MB (min %.0f, max %.0f)", who,
                median(rs, x -> x.eventsPerSec), eps[0], eps[eps.length - 1], median(rs, x -> x.cpuSeconds),
                median(rs, Result::cpuPerMillion), Double.isNaN(jit) ? ""
                        : String.format(Locale.ROOT, ", JIT %.2f s", jit), median(rs, x -> x.peakRssMb), rss[0],
                rss[rss.length - 1]);
    }

    /** {@code a} against {@code b}, by their medians: the rate as a factor, CPU per event and peak RSS as shares. */
    static String ratios(List<Result> a, List<Result> b) {
        return String.format(Locale.ROOT, "events/s %.2fx, CPU per event %.0f%%, peak RSS %.0f%%",
                median(a, x -> x.eventsPerSec) / median(b, x -> x.eventsPerSec),
                100 * median(a, Result::cpuPerMillion) / median(b, Result::cpuPerMillion),
                100 * median(a, x -> x.peakRssMb) / median(b, x -> x.peakRssMb));
    }
}

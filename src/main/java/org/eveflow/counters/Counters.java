package org.eveflow.counters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The daemon's cumulative counters (they only grow) and a few gauges. Every received line ends in
 * exactly one of decoded, malformed, oversized, so lines received is their sum. Thread-safe.
 */
public final class Counters {
    /** Errors writing the log, counted where the log is written (the daemon names it; 0 until then). */
    private volatile LongSupplier logFailures = () -> 0;
    public final LongAdder bytesReceived = new LongAdder();
    public final LongAdder linesDecoded = new LongAdder();
    public final LongAdder linesMalformed = new LongAdder();
    public final LongAdder linesOversized = new LongAdder();
    /**
     * Lines (decoded or malformed) read by Jackson rather than EveScanner: a shape or field the scanner
     * does not know, or all lines when add-fields or extra key fields need Jackson. Near 0 for Suricata's own output.
     */
    public final LongAdder linesJudged = new LongAdder();
    public final EventTypeCounters events = new EventTypeCounters();
    /** Flow events' packets and bytes by app_proto (FEVER's flow profiler). */
    public final AppProtoCounters flowsByAppProto = new AppProtoCounters();

    /** Flow events added to the table. */
    public final LongAdder flowsAggregated = new LongAdder();
    /** Flow events refused because the table was full and the flush could not drain it. */
    public final LongAdder flowsRefused = new LongAdder();
    /** Flow events whose adding to the table failed unexpectedly (a bug, or out of memory; logged). */
    public final LongAdder flowsLost = new LongAdder();
    /** Flow events that made an aggregate's packet or byte sum pass 2^63-1: the sum is held there. */
    public final LongAdder flowsSaturated = new LongAdder();
    /** Flows counted in flow_count whose src port was not listed (per-key or total cap). */
    public final LongAdder srcPortsUnlisted = new LongAdder();
    public final LongAdder aggregatesEmitted = new LongAdder();
    /** Flow events in the aggregates handed to the outputs (their flow_count summed). */
    public final LongAdder flowsEmitted = new LongAdder();
    /** Flow events in aggregates that a failed flush did not hand to the outputs (with aggregates_lost). */
    public final LongAdder flowsUnflushed = new LongAdder();
    /** Aggregates of a flush that failed (a bug, logged as an error) and were not handed to the outputs. */
    public final LongAdder aggregatesLost = new LongAdder();
    public final LongAdder flushes = new LongAdder();
    /** SIGHUP reloads applied, and those refused (invalid configuration, or a part that could not be made). */
    public final LongAdder reloads = new LongAdder();
    public final LongAdder reloadsFailed = new LongAdder();
    public final LongAdder earlyFlushes = new LongAdder();
    /** FEVER's per-flush gauges: flow events and aggregates in the last flush. */
    public final AtomicLong lastFlushRawCount = new AtomicLong();
    public final AtomicLong lastFlushAggregateCount = new AtomicLong();
    public final AtomicLong lastFlushMillis = new AtomicLong();
    public final AtomicLong keysInTable = new AtomicLong();

    /** Events whose raw line was offered to at least one output. */
    public final LongAdder eventsForwarded = new LongAdder();
    /** Decoded events that are neither flows nor forwarded anywhere. */
    public final LongAdder eventsIgnored = new LongAdder();

    public final AtomicLong connectionsActive = new AtomicLong();
    public final LongAdder connectionsTotal = new LongAdder();
    /** Suricata series the Prometheus endpoint left out (stats.prometheus.max-series). */
    public final LongAdder prometheusSeriesDropped = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    public final LongAdder connectionsRefusedUid = new LongAdder();
    /** Input connections closed because they had sent no complete line for input.idle-timeout and a new one needed the slot. */
    public final LongAdder connectionsEvictedIdle = new LongAdder();
    /** Input connections handed to the next instance at a restart (systemd's fd store), and taken from the previous one. */
    public final LongAdder connectionsHandedOver = new LongAdder();
    public final LongAdder connectionsAdopted = new LongAdder();
    /** Of those taken, the ones the previous instance did not hand over (it ended without a stop: a crash). */
    public final LongAdder connectionsAdoptedAfterCrash = new LongAdder();

    /** Bytes read from the input and not yet decoded and applied (all connections). */
    public final AtomicLong inputReadAheadBytes = new AtomicLong();
    /** Times a connection paused reading because the read-ahead was full (decoding fell behind). */
    public final LongAdder inputReadPauses = new LongAdder();

    public final List<OutputCounters> outputs = new CopyOnWriteArrayList<>();

    /** Stats points written to InfluxDB, dropped (buffer full, rejected, or pending at exit), buffered. */
    public final LongAdder statsPointsWritten = new LongAdder();
    public final LongAdder statsPointsDropped = new LongAdder();
    public final AtomicLong statsPointsBuffered = new AtomicLong();

    /** Suricata's stats records read into points; those skipped as malformed; values and fields not written. */
    public final LongAdder suricataStatsRecords = new LongAdder();
    public final LongAdder suricataStatsMalformed = new LongAdder();
    public final LongAdder suricataStatsValuesSkipped = new LongAdder();
    public final LongAdder suricataStatsFieldsDropped = new LongAdder();

    public long linesReceived() {
        return linesDecoded.sum() + linesMalformed.sum() + linesOversized.sum();
    }

    public OutputCounters newOutput(String name) {
        OutputCounters c = new OutputCounters(name);
        outputs.add(c);
        return c;
    }

    public OutputCounters output(String name) {
        for (OutputCounters c : outputs) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no output " + name);
    }

    public long outputsDropped() {
        return outputs.stream().mapToLong(OutputCounters::dropped).sum();
    }

    public long outputsBufferedLines() {
        return outputs.stream().mapToLong(o -> o.bufferedLines.get()).sum();
    }

    /** Where log_failures comes from (the log package counts them; counters depend on nothing). */
    public void countLogFailuresFrom(LongSupplier failures) {
        logFailures = failures;
    }

    /**
     * Every global metric by its name (docs/metrics.md), in a stable order: cumulative counters,
     * FEVER's per-flush gauges, current gauges, then events by type as {@code events_<type>}.
     */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("lines_received", linesReceived());
        m.put("lines_decoded", linesDecoded.sum());
        m.put("lines_malformed", linesMalformed.sum());
        m.put("lines_oversized", linesOversized.sum());
        m.put("lines_judged", linesJudged.sum());
        m.put("bytes_received", bytesReceived.sum());
        m.put("flows_aggregated", flowsAggregated.sum());
        m.put("flows_refused", flowsRefused.sum());
        m.put("flows_lost", flowsLost.sum());
        m.put("flows_saturated", flowsSaturated.sum());
        m.put("src_ports_unlisted", srcPortsUnlisted.sum());
        m.put("aggregates_emitted", aggregatesEmitted.sum());
        m.put("aggregates_lost", aggregatesLost.sum());
        m.put("flows_emitted", flowsEmitted.sum());
        m.put("flows_unflushed", flowsUnflushed.sum());
        m.put("flushes", flushes.sum());
        m.put("early_flushes", earlyFlushes.sum());
        m.put("reloads", reloads.sum());
        m.put("reloads_failed", reloadsFailed.sum());
        m.put("flow_aggregate_raw_count", lastFlushRawCount.get());
        m.put("flow_aggregate_count", lastFlushAggregateCount.get());
        m.put("flush_duration_ms", lastFlushMillis.get());
        m.put("keys_in_table", keysInTable.get());
        m.put("events_forwarded", eventsForwarded.sum());
        m.put("events_ignored", eventsIgnored.sum());
        m.put("outputs_dropped", outputsDropped());
        m.put("outputs_buffer_length", outputsBufferedLines());
        m.put("connections_active", connectionsActive.get());
        m.put("connections_total", connectionsTotal.sum());
        m.put("connections_refused", connectionsRefused.sum());
        m.put("connections_refused_uid", connectionsRefusedUid.sum());
        m.put("connections_evicted_idle", connectionsEvictedIdle.sum());
        m.put("connections_handed_over", connectionsHandedOver.sum());
        m.put("connections_adopted", connectionsAdopted.sum());
        m.put("connections_adopted_after_crash", connectionsAdoptedAfterCrash.sum());
        m.put("input_read_ahead_bytes", inputReadAheadBytes.get());
        m.put("input_read_pauses", inputReadPauses.sum());
        m.put("stats_points_written", statsPointsWritten.sum());
        m.put("stats_points_dropped", statsPointsDropped.sum());
        m.put("stats_points_buffered", statsPointsBuffered.get());
        m.put("suricata_stats_records", suricataStatsRecords.sum());
        m.put("suricata_stats_malformed", suricataStatsMalformed.sum());
        m.put("suricata_stats_values_skipped", suricataStatsValuesSkipped.sum());
        m.put("suricata_stats_fields_dropped", suricataStatsFieldsDropped.sum());
        m.put("prometheus_series_dropped", prometheusSeriesDropped.sum());
        m.put("log_failures", logFailures.getAsLong());
        events.snapshot().forEach((type, n) -> m.put("events_" + type, n));
        return m;
    }

}

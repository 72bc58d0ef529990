package org.eveflow.ingest;

import org.eveflow.aggregate.FlowTable;
import org.eveflow.output.AddedFields;
import org.eveflow.event.EveEvent;
import org.eveflow.output.Outputs;

/**
 * Decides where each decoded event belongs: flow events into the {@link FlowTable}, the raw line of
 * forwarded types to the outputs (with the added fields it lacks), Suricata's stats records also to
 * the {@link StatsRecordSink} (Suricata's stats, read by the stats package), the rest is ignored. Stateless; thread-safe.
 */
final class EventRouter {
    private static final String STATS = "stats";
    private final FlowTable table;
    private final Outputs outputs;
    private final AddedFields addFields;
    /** Null: Suricata's stats records are not read. */
    private final StatsRecordSink suricataStats;

    EventRouter(FlowTable table, Outputs outputs, AddedFields addFields, StatsRecordSink suricataStats) {
        this.table = table;
        this.outputs = outputs;
        this.addFields = addFields;
        this.suricataStats = suricataStats;
    }

    /** A Suricata stats record's counters become points when that is on; the line {@code buf[start, end)}. */
    void readStats(EveEvent e, byte[] buf, int start, int end) {
        if (suricataStats != null && STATS.equals(e.eventType())) {
            suricataStats.offer(buf, start, end - start);
        }
    }

    /** The added fields' bytes for this event's forwarded line (those it lacks), or none. */
    byte[] insertFor(EveEvent e) {
        return addFields.bytesFor(e.fieldsPresent());
    }

    /** The outputs the event's raw line is forwarded to (see {@link Outputs#forwarding}); 0 for none. */
    long forwardedTo(EveEvent e) {
        return outputs.forwarding(e.eventType());
    }

    /** Adds the flow events among the first {@code n} (nulls skipped) to the table, one lock per stripe. */
    void aggregateAll(EveEvent[] events, int n) {
        table.addAll(events, n);
    }
}

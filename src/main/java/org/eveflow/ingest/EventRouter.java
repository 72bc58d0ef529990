package org.eveflow.ingest;

import org.eveflow.aggregate.FlowTable;
import org.eveflow.output.AddedFields;
import org.eveflow.event.EveEvent;
import org.eveflow.output.Outputs;

/**
 * Decides where each decoded event belongs: flow events into the {@link FlowTable}, the raw line of
 * forwarded types to the outputs (with the added fields it lacks), the rest is ignored.
 * Stateless; thread-safe.
 */
final class EventRouter {
    private final FlowTable table;
    private final Outputs outputs;
    private final AddedFields addFields;

    EventRouter(FlowTable table, Outputs outputs, AddedFields addFields) {
        this.table = table;
        this.outputs = outputs;
        this.addFields = addFields;
    }

    /** The added fields' bytes for this event's forwarded line (those it lacks), or none. */
    byte[] insertFor(EveEvent e) {
        return addFields.bytesFor(e.fieldsPresent());
    }

    /** Whether the event's raw line is to be forwarded. */
    boolean forwards(EveEvent e) {
        return outputs.forwards(e.eventType());
    }

    /** Adds the flow events among the first {@code n} (nulls skipped) to the table, one lock per stripe. */
    void aggregateAll(EveEvent[] events, int n) {
        table.addAll(events, n);
    }
}

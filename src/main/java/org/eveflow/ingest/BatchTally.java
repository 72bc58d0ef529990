package org.eveflow.ingest;

import org.eveflow.event.EveEvent;
import org.eveflow.counters.AppProtoCounters;
import org.eveflow.counters.Counters;
import org.eveflow.counters.EventTypeCounters;

/**
 * What one batch of lines came to (every line decoded, malformed or oversized; decoded ones by
 * event_type, forwarded or ignored), added to the daemon's counters in one go when the batch is
 * applied, instead of several shared counters per line. Used by one thread at a time.
 */
final class BatchTally {
    long decoded;
    long malformed;
    long oversized;
    /** Lines Jackson read because the scanner was not sure of them (or is off): lines_judged. */
    long judged;
    long forwarded;
    long ignored;
    private final long[] byType = new long[EventTypeCounters.SLOTS];
    private final long[] bytesByType = new long[EventTypeCounters.SLOTS];
    private String lastType;
    private int lastSlot;
    /** Flow events' packets and bytes by app_proto slot (see {@link AppProtoCounters}). */
    private final long[] byAppProto = new long[AppProtoCounters.SLOTS * AppProtoCounters.VALUES];
    private boolean anyFlow;

    /**
     * Counts a decoded event of {@code length} bytes (its line without the line end), as forwarded, or
     * as ignored when it is neither a flow nor forwarded.
     */
    void decoded(EveEvent e, boolean forwards, int length) {
        decoded++;
        String type = e.eventType();
        if (!type.equals(lastType)) {
            lastType = type;
            lastSlot = EventTypeCounters.slot(type);
        }
        byType[lastSlot]++;
        bytesByType[lastSlot] += length;
        if (e.isFlow()) {
            int at = AppProtoCounters.slot(e.appProto()) * AppProtoCounters.VALUES;
            byAppProto[at] += e.pktsToServer();
            byAppProto[at + 1] += e.pktsToClient();
            byAppProto[at + 2] += e.bytesToServer();
            byAppProto[at + 3] += e.bytesToClient();
            anyFlow = true;
        }
        if (forwards) {
            forwarded++;
        } else if (!e.isFlow()) {
            ignored++;
        }
    }

    void addTo(Counters c) {
        if (decoded != 0) {
            c.linesDecoded.add(decoded);
            c.events.addAll(byType, bytesByType);
            if (anyFlow) {
                c.flowsByAppProto.addAll(byAppProto);
            }
        }
        if (malformed != 0) {
            c.linesMalformed.add(malformed);
        }
        if (oversized != 0) {
            c.linesOversized.add(oversized);
        }
        if (judged != 0) {
            c.linesJudged.add(judged);
        }
        if (forwarded != 0) {
            c.eventsForwarded.add(forwarded);
        }
        if (ignored != 0) {
            c.eventsIgnored.add(ignored);
        }
    }
}

package org.eveflow.ingest;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.eveflow.aggregate.FlowTable;
import org.eveflow.event.EveEvent;
import org.eveflow.output.Outputs;
import org.eveflow.stats.Counters;

/**
 * Sends each decoded event where it belongs: flow events into the {@link FlowTable}, the raw line of
 * forwarded types to the outputs, the rest counted as ignored. Releases the line. {@code @Sharable}.
 */
@ChannelHandler.Sharable
final class EventRouter extends ChannelInboundHandlerAdapter {
    private final FlowTable table;
    private final Outputs outputs;
    private final Counters counters;
    private final org.eveflow.event.AddFields addFields;

    EventRouter(FlowTable table, Outputs outputs, Counters counters, org.eveflow.event.AddFields addFields) {
        this.table = table;
        this.outputs = outputs;
        this.counters = counters;
        this.addFields = addFields;
    }

    /** The added fields' bytes for this event's forwarded line (those it lacks), or none. */
    byte[] insertFor(EveEvent e) {
        return addFields.bytesFor(e.fieldsPresent());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DecodedLine d = (DecodedLine) msg;
        try {
            EveEvent e = d.event();
            boolean forward = aggregate(e);
            if (forward) {
                outputs.offerRaw(e.eventType(), d.line(), insertFor(e));
            }
            count(e, forward);
        } finally {
            d.line().release();
        }
    }

    /** Adds a flow event to the table; returns whether the event's raw line is to be forwarded. Thread-safe. */
    boolean aggregate(EveEvent e) {
        if (e.isFlow()) {
            table.add(e);
        }
        return forwards(e);
    }

    /** Whether the event's raw line is to be forwarded. Thread-safe. */
    boolean forwards(EveEvent e) {
        return outputs.forwards(e.eventType());
    }

    /** Adds the flow events of a batch (nulls skipped) to the table, one lock per stripe. Thread-safe. */
    void aggregateAll(EveEvent[] events) {
        table.addAll(events, events.length);
    }

    /** Counts a routed event as forwarded, or as ignored when it is neither a flow nor forwarded. */
    void count(EveEvent e, boolean forwarded) {
        if (forwarded) {
            counters.eventsForwarded.increment();
        } else if (!e.isFlow()) {
            counters.eventsIgnored.increment();
        }
    }
}

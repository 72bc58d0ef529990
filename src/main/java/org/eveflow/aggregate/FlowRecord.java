package org.eveflow.aggregate;

import java.util.Arrays;
import org.eveflow.event.EveEvent;

/**
 * One key's aggregate in one flush window: earliest timestamp, listed src ports (capped), exact
 * flow_count and summed counters. Not thread-safe: guarded by its {@link FlowTable} stripe lock, and
 * read by the flush only after the stripe's map has been swapped out.
 */
final class FlowRecord {
    private static final int[] NO_PORTS = new int[0];

    String timestamp;
    int[] srcPorts = NO_PORTS;
    int portCount;
    long flowCount;
    long pktsToServer;
    long pktsToClient;
    long bytesToServer;
    long bytesToClient;

    void add(EveEvent e) {
        timestamp = Timestamps.earliest(timestamp, e.timestamp());
        flowCount++;
        pktsToServer += e.pktsToServer();
        pktsToClient += e.pktsToClient();
        bytesToServer += e.bytesToServer();
        bytesToClient += e.bytesToClient();
    }

    void listPort(int port) {
        if (portCount == srcPorts.length) {
            srcPorts = Arrays.copyOf(srcPorts, Math.max(4, portCount * 2));
        }
        srcPorts[portCount++] = port;
    }
}

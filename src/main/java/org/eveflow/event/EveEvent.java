package org.eveflow.event;

/**
 * What eveflow reads from one EVE record: the routing and aggregation fields only. Ports are -1
 * when absent (ICMP), counters 0 when absent. Immutable, thread-safe.
 */
public record EveEvent(String eventType, String timestamp, String srcIp, int srcPort, String destIp,
                       int destPort, long pktsToServer, long pktsToClient, long bytesToServer,
                       long bytesToClient) {

    public static final int NO_PORT = -1;

    public boolean isFlow() {
        return "flow".equals(eventType);
    }
}

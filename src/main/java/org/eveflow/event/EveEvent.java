package org.eveflow.event;

/**
 * What eveflow reads from one EVE record: the routing and aggregation fields only. Ports are -1
 * when absent (ICMP), counters 0 when absent; {@code fieldsPresent} has the {@link WatchedFields#bit} of
 * each added-field name the record already has at its top level; {@code keyExtra} is the configured
 * extra key fields (aggregate.key: proto, vlan, in_iface) as JSON members ({@code ,"proto":"UDP"}),
 * "" when none are configured or present; {@code appProto} is the top-level app_proto string (the
 * last one when repeated), null when absent or not a string. Immutable, thread-safe.
 */
public record EveEvent(String eventType, String timestamp, String srcIp, int srcPort, String destIp,
                       int destPort, long pktsToServer, long pktsToClient, long bytesToServer,
                       long bytesToClient, int fieldsPresent, String keyExtra, String appProto) {

    public static final int NO_PORT = -1;

    /** An event without any of the {@link WatchedFields} names at its top level. */
    public EveEvent(String eventType, String timestamp, String srcIp, int srcPort, String destIp, int destPort,
                    long pktsToServer, long pktsToClient, long bytesToServer, long bytesToClient) {
        this(eventType, timestamp, srcIp, srcPort, destIp, destPort, pktsToServer, pktsToClient, bytesToServer,
                bytesToClient, 0, "", null);
    }

    public boolean isFlow() {
        return "flow".equals(eventType);
    }
}

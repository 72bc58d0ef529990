package org.eveflow.aggregate;

/**
 * The aggregation key: (src_ip, dest_ip, dest_port) as a value tuple, addresses exactly as Suricata
 * wrote them. Unlike FEVER's concatenated string, "1.1.1.1"+"11.1.1.1" and "1.1.1.11"+"1.1.1.1"
 * are different keys. Flows without ports use port 0. Immutable.
 */
public record FlowKey(String srcIp, String destIp, int destPort) {
}

package org.eveflow.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decoded events counted by event_type over a fixed set of Suricata's types; every other name shares
 * the counter "other", so made-up types cannot grow memory. Thread-safe (LongAdder per type).
 */
public final class EventTypeCounters {
    /** Suricata 7's EVE event types. */
    public static final List<String> KNOWN = List.of(
            "alert", "anomaly", "arp", "bittorrent_dht", "dcerpc", "dhcp", "dnp3", "dns", "drop", "enip",
            "fileinfo", "flow", "frame", "ftp", "ftp_data", "http", "http2", "ike", "krb5", "ldap", "modbus",
            "mqtt", "netflow", "nfs", "pgsql", "quic", "rdp", "rfb", "sip", "smb", "smtp", "snmp", "ssh",
            "stats", "tftp", "tls", "websocket");
    public static final String OTHER = "other";

    private final Map<String, LongAdder> byType;
    private final LongAdder other = new LongAdder();

    public EventTypeCounters() {
        Map<String, LongAdder> m = new java.util.HashMap<>();
        for (String t : KNOWN) {
            m.put(t, new LongAdder());
        }
        byType = Map.copyOf(m);
    }

    public void increment(String eventType) {
        LongAdder a = byType.get(eventType);
        (a != null ? a : other).increment();
    }

    public long get(String eventType) {
        LongAdder a = byType.get(eventType);
        return (a != null ? a : other).sum();
    }

    /** Non-zero counts in a stable order, "other" last. */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String t : KNOWN) {
            long v = byType.get(t).sum();
            if (v != 0) {
                m.put(t, v);
            }
        }
        long o = other.sum();
        if (o != 0) {
            m.put(OTHER, o);
        }
        return m;
    }
}

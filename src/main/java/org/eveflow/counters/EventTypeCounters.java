package org.eveflow.counters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decoded events counted by event_type over a fixed set of Suricata's types; every other name shares
 * the counter "other", so made-up types cannot grow memory. Counts are added per batch as a tally
 * indexed by {@link #slot}. Thread-safe (LongAdder per type).
 */
public final class EventTypeCounters {
    /**
     * The EVE event types of Suricata 7.0 and 8.0 (8.0 adds doh2, mdns and pop3; arp, enip, ldap and
     * websocket came with 7's later releases), from their eve-log output modules.
     */
    public static final List<String> KNOWN = List.of(
            "alert", "anomaly", "arp", "bittorrent_dht", "dcerpc", "dhcp", "dnp3", "dns", "doh2", "drop", "enip",
            "fileinfo", "flow", "frame", "ftp", "ftp_data", "http", "http2", "ike", "krb5", "ldap", "mdns", "modbus",
            "mqtt", "netflow", "nfs", "pgsql", "pop3", "quic", "rdp", "rfb", "sip", "smb", "smtp", "snmp", "ssh",
            "stats", "tftp", "tls", "websocket");
    public static final String OTHER = "other";

    /** The number of counters: one per known type, then "other" (see {@link #slot}). */
    public static final int SLOTS = KNOWN.size() + 1;
    private static final int OTHER_SLOT = KNOWN.size();
    private static final SlotMap SLOT = new SlotMap(KNOWN);

    private final LongAdder[] bySlot = new LongAdder[SLOTS];
    /** Bytes of the events' lines (without line ends), by slot: FEVER's event profiler's size.<type>. */
    private final LongAdder[] bytesBySlot = new LongAdder[SLOTS];

    public EventTypeCounters() {
        for (int i = 0; i < SLOTS; i++) {
            bySlot[i] = new LongAdder();
            bytesBySlot[i] = new LongAdder();
        }
    }

    /** The counter index of an event type, for tallies added with {@link #addAll}; unknown types share "other". */
    public static int slot(String eventType) {
        return SLOT.slot(eventType, OTHER_SLOT);
    }

    /** Adds a tally of events and of their bytes, both indexed by {@link #slot} ({@link #SLOTS} entries). */
    public void addAll(long[] tally, long[] bytes) {
        for (int i = 0; i < SLOTS; i++) {
            if (tally[i] != 0) {
                bySlot[i].add(tally[i]);
                bytesBySlot[i].add(bytes[i]);
            }
        }
    }

    public long get(String eventType) {
        return bySlot[slot(eventType)].sum();
    }

    /** Non-zero counts in a stable order, "other" last. */
    public Map<String, Long> snapshot() {
        return snapshot(bySlot);
    }

    /** Bytes of the counted events' lines by type, for the types of {@link #snapshot}, same order. */
    public Map<String, Long> bytesSnapshot() {
        return snapshot(bytesBySlot);
    }

    private static Map<String, Long> snapshot(LongAdder[] adders) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < SLOTS; i++) {
            long v = adders[i].sum();
            if (v != 0) {
                m.put(i == OTHER_SLOT ? OTHER : KNOWN.get(i), v);
            }
        }
        return m;
    }
}

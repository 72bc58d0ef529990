package org.eveflow.counters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Packets and bytes of flow events by their app_proto (FEVER's flow profiler), cumulative, over a
 * fixed set of Suricata 7's and 8's app-layer names; a flow without app_proto counts as "unknown" (FEVER's
 * name) and any other name as "other", so made-up names cannot grow memory. Added per batch as a
 * tally indexed by {@link #slot}. Thread-safe (LongAdder per value).
 */
public final class AppProtoCounters {
    /** Suricata 7.0's and 8.0's app_proto values (8.0 adds doh2 and mdns), from their app-layer parsers. */
    public static final List<String> KNOWN = List.of(
            "bittorrent-dht", "dcerpc", "dhcp", "dnp3", "dns", "doh2", "enip", "failed", "ftp", "ftp-data", "http",
            "http2", "ike", "imap", "irc", "jabber", "krb5", "ldap", "mdns", "modbus", "mqtt", "nfs", "ntp", "pgsql",
            "pop3", "quic", "rdp", "rfb", "sip", "smb", "smtp", "snmp", "ssh", "telnet", "tftp", "tls", "websocket");
    public static final String UNKNOWN = "unknown";
    public static final String OTHER = "other";
    /** One slot per known name, then "unknown", then "other". */
    public static final int SLOTS = KNOWN.size() + 2;
    /** Values per slot: packets to server, packets to client, bytes to server, bytes to client. */
    public static final int VALUES = 4;
    private static final SlotMap SLOT = new SlotMap(KNOWN);

    private final LongAdder[] values = new LongAdder[SLOTS * VALUES];

    public AppProtoCounters() {
        for (int i = 0; i < values.length; i++) {
            values[i] = new LongAdder();
        }
    }

    /** The slot of an app_proto value (null: "unknown"). */
    public static int slot(String appProto) {
        if (appProto == null) {
            return KNOWN.size();
        }
        return SLOT.slot(appProto, KNOWN.size() + 1);
    }

    private static String name(int slot) {
        return slot < KNOWN.size() ? KNOWN.get(slot) : slot == KNOWN.size() ? UNKNOWN : OTHER;
    }

    /** Adds a tally of {@link #SLOTS} × {@link #VALUES} entries, slot-major. */
    public void addAll(long[] tally) {
        for (int i = 0; i < values.length; i++) {
            if (tally[i] != 0) {
                values[i].add(tally[i]);
            }
        }
    }

    /** Each name with a non-zero value and its four values (pkts to server, to client, bytes to server, to client). */
    public Map<String, long[]> snapshot() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (int s = 0; s < SLOTS; s++) {
            long[] v = new long[VALUES];
            boolean any = false;
            for (int k = 0; k < VALUES; k++) {
                v[k] = values[s * VALUES + k].sum();
                any |= v[k] != 0;
            }
            if (any) {
                m.put(name(s), v);
            }
        }
        return m;
    }
}

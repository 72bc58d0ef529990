package org.eveflow.aggregate;

/**
 * The aggregation key: (src_ip, dest_ip, dest_port) as a value tuple, addresses exactly as Suricata
 * wrote them, plus {@code extra}: the configured extra key fields (aggregate.key: proto, vlan,
 * in_iface) as JSON members, "" for FEVER's key. Unlike FEVER's concatenated string, "1.1.1.1"+"11.1.1.1" and "1.1.1.11"+"1.1.1.1"
 * are different keys. Flows without ports use port 0. Immutable.
 *
 * <p>{@link FlowTable} stores keys in {@link FlowWindow}s, not as objects; this record is the key as a
 * value (tests, diagnostics) and the owner of the hash function. {@link #hashCode} is well mixed in all 32 bits: {@link FlowTable} picks the stripe from the top
 * bits and the stripe's hash map its bucket from the low bits, so the two must not be correlated
 * (with the record's default hash, one stripe's keys shared their low bits and piled into a few
 * buckets).
 */
public record FlowKey(String srcIp, String destIp, int destPort, String extra) {

    /** FEVER's key: no extra fields. */
    public FlowKey(String srcIp, String destIp, int destPort) {
        this(srcIp, destIp, destPort, "");
    }

    @Override
    public int hashCode() {
        return hash(srcIp, destIp, destPort, extra);
    }

    /** The key's hash from its parts, without making a key (FEVER's key: no extra fields). */
    static int hash(String srcIp, String destIp, int destPort) {
        return hash(srcIp, destIp, destPort, "");
    }

    /** With the extra key fields (aggregate.key) as their JSON members, "" (hash 0) for none. */
    static int hash(String srcIp, String destIp, int destPort, String extra) {
        return mix(srcIp.hashCode() * 0x9E3779B9 + destIp.hashCode() * 31 + destPort + extra.hashCode() * 0x85EBCA6B);
    }

    /** Murmur3's 32-bit finalizer: every input bit affects every output bit. */
    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}

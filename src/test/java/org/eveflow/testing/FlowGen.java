package org.eveflow.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded Suricata-like flow lines over a fixed set of keys, with the expected per-key sums. The key
 * set always contains FEVER's colliding pairs (1.1.1.1/11.1.1.1/80 vs 1.1.1.11/1.1.1.1/80 and
 * x/10.0.0.5/3389 vs x/10.0.0.53/389) and an ICMP key (no ports). Not thread-safe.
 */
public final class FlowGen {
    /** One aggregation key as the tests see it. */
    public record Key(String srcIp, String destIp, int destPort) {
        public boolean icmp() {
            return destPort == 0;
        }
    }

    /** Expected (or received) sums for one key. */
    public static final class Sums {
        public long flowCount;
        public long pktsToServer;
        public long pktsToClient;
        public long bytesToServer;
        public long bytesToClient;
        public final Map<Integer, Integer> srcPorts = new HashMap<>();

        public void addPort(int port) {
            srcPorts.merge(port, 1, Integer::sum);
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Sums)) {
                return false;
            }
            Sums s = (Sums) o;
            return flowCount == s.flowCount && pktsToServer == s.pktsToServer && pktsToClient == s.pktsToClient
                    && bytesToServer == s.bytesToServer && bytesToClient == s.bytesToClient
                    && srcPorts.equals(s.srcPorts);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(flowCount);
        }

        @Override
        public String toString() {
            return "flows=" + flowCount + " pkts=" + pktsToServer + "/" + pktsToClient + " bytes=" + bytesToServer
                    + "/" + bytesToClient + " ports=" + srcPorts.size();
        }
    }

    private final List<Key> keys = new ArrayList<>();
    private final SplittableRandom random;
    private final Map<Key, Sums> expected = new HashMap<>();

    public FlowGen(int keyCount, long seed) {
        random = new SplittableRandom(seed);
        keys.add(new Key("1.1.1.1", "11.1.1.1", 80));
        keys.add(new Key("1.1.1.11", "1.1.1.1", 80));
        keys.add(new Key("192.0.2.7", "10.0.0.5", 3389));
        keys.add(new Key("192.0.2.7", "10.0.0.53", 389));
        keys.add(new Key("192.0.2.9", "198.51.100.3", 0));
        keys.add(new Key("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:0db8:0000:0000:0000:0000:0000:0002", 443));
        for (int i = keys.size(); i < keyCount; i++) {
            keys.add(new Key("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255),
                    "172.16." + (i % 7) + "." + (i % 13), 1 + (i * 31) % 60_000));
        }
    }

    public List<Key> keys() {
        return keys;
    }

    /** The next flow line (no newline) for a key chosen at random; its values are added to the expectation. */
    public String next() {
        Key k = keys.get(random.nextInt(keys.size()));
        int srcPort = 1024 + random.nextInt(60_000);
        long ps = 1 + random.nextInt(1000);
        long pc = random.nextInt(1000);
        long bs = 60 + random.nextLong(10_000_000_000L);
        long bc = random.nextLong(1_000_000);
        int sec = random.nextInt(60);
        Sums s = expected.computeIfAbsent(k, x -> new Sums());
        s.flowCount++;
        s.pktsToServer += ps;
        s.pktsToClient += pc;
        s.bytesToServer += bs;
        s.bytesToClient += bc;
        s.addPort(k.icmp() ? 0 : srcPort);
        return flowLine(k, srcPort, ps, pc, bs, bc, String.format("2026-11-28T10:00:%02d.%06d+0000", sec,
                random.nextInt(1_000_000)));
    }

    public static String flowLine(Key k, int srcPort, long ps, long pc, long bs, long bc, String ts) {
        String ports = k.icmp() ? "\"proto\":\"ICMP\",\"icmp_type\":8,\"icmp_code\":0"
                : "\"src_port\":" + srcPort + ",\"dest_port\":" + k.destPort() + ",\"proto\":\"TCP\"";
        return "{\"timestamp\":\"" + ts + "\",\"flow_id\":" + (1_000_000 + srcPort) + ",\"event_type\":\"flow\","
                + "\"src_ip\":\"" + k.srcIp() + "\"," + "\"dest_ip\":\"" + k.destIp() + "\"," + ports
                + ",\"app_proto\":\"tls\",\"flow\":{\"pkts_toserver\":" + ps + ",\"pkts_toclient\":" + pc
                + ",\"bytes_toserver\":" + bs + ",\"bytes_toclient\":" + bc
                + ",\"start\":\"2026-11-28T09:59:00.000000+0000\",\"end\":\"" + ts
                + "\",\"age\":1,\"state\":\"closed\",\"reason\":\"timeout\",\"alerted\":false},"
                + "\"community_id\":\"1:abc=\",\"tcp\":{\"tcp_flags\":\"1b\",\"syn\":true,\"fin\":true}}";
    }

    public Map<Key, Sums> expected() {
        return expected;
    }

    /** Merges another generator's expectation into this one's (for several writer threads). */
    public static Map<Key, Sums> merge(List<FlowGen> gens) {
        Map<Key, Sums> all = new HashMap<>();
        for (FlowGen g : gens) {
            g.expected.forEach((k, s) -> {
                Sums t = all.computeIfAbsent(k, x -> new Sums());
                t.flowCount += s.flowCount;
                t.pktsToServer += s.pktsToServer;
                t.pktsToClient += s.pktsToClient;
                t.bytesToServer += s.bytesToServer;
                t.bytesToClient += s.bytesToClient;
                s.srcPorts.forEach((p, n) -> t.srcPorts.merge(p, n, Integer::sum));
            });
        }
        return all;
    }
}

package org.eveflow.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seeded Suricata-like EVE lines for benchmarks: flow records over a given number of distinct keys,
 * IPv4, IPv6 and ICMP mixed, optionally with alert/dns records in between. Pure, thread-safe.
 */
public final class BenchData {
    private BenchData() {
    }

    /** The i-th key's (src, dst, dport); dport 0 means ICMP (no ports). */
    static String[] key(int k) {
        if (k % 10 == 9) {
            return new String[] {"2001:0db8:0000:0000:0000:0000:" + hex4(k >>> 16) + ":" + hex4(k & 0xffff),
                "2001:0db8:0000:0000:0000:0000:0000:0001", "443"};
        }
        String src = "10." + (k >>> 16 & 255) + "." + (k >>> 8 & 255) + "." + (k & 255);
        return new String[] {src, "192.168." + (k % 7) + "." + (k % 200 + 1), k % 10 == 8 ? "0" : "" + (1 + k % 1000)};
    }

    private static String hex4(int v) {
        return String.format("%04x", v & 0xffff);
    }

    /** One flow line (no newline) for key {@code k}. */
    public static String flow(SplittableRandom r, int k) {
        String[] key = key(k);
        boolean icmp = key[2].equals("0");
        int sport = 1024 + r.nextInt(60_000);
        String ts = "2026-11-28T10:" + two(r.nextInt(60)) + ":" + two(r.nextInt(60)) + "." + six(r.nextInt(1_000_000))
                + "+0000";
        return "{\"timestamp\":\"" + ts + "\",\"flow_id\":" + (100_000_000_000L + r.nextInt(1 << 30))
                + ",\"in_iface\":\"eth0\",\"event_type\":\"flow\",\"src_ip\":\"" + key[0] + "\","
                + (icmp ? "" : "\"src_port\":" + sport + ",") + "\"dest_ip\":\"" + key[1] + "\","
                + (icmp ? "\"proto\":\"ICMP\",\"icmp_type\":8,\"icmp_code\":0,\"response_icmp_type\":0,\"response_icmp_code\":0,"
                        : "\"dest_port\":" + key[2] + ",\"proto\":\"TCP\",\"app_proto\":\"tls\",")
                + "\"flow\":{\"pkts_toserver\":" + (1 + r.nextInt(100)) + ",\"pkts_toclient\":" + r.nextInt(100)
                + ",\"bytes_toserver\":" + (60 + r.nextInt(100_000)) + ",\"bytes_toclient\":" + r.nextInt(1_000_000)
                + ",\"start\":\"" + ts + "\",\"end\":\"" + ts + "\",\"age\":" + r.nextInt(100)
                + ",\"state\":\"closed\",\"reason\":\"timeout\",\"alerted\":false},"
                + "\"community_id\":\"1:LQU9qZlK+B5F3KDmev6m5PMibrg=\","
                + (icmp ? "" : "\"tcp\":{\"tcp_flags\":\"1b\",\"tcp_flags_ts\":\"1b\",\"tcp_flags_tc\":\"1b\",\"syn\":true,"
                        + "\"fin\":true,\"psh\":true,\"ack\":true,\"state\":\"closed\"},")
                + "\"host\":\"sensor\"}";
    }

    /** A non-flow line of the mixed stream. */
    public static String other(SplittableRandom r, int i) {
        if (i % 2 == 0) {
            return "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"flow_id\":" + (1_000_000 + i)
                    + ",\"event_type\":\"dns\",\"src_ip\":\"10.0.0." + (i % 250) + "\",\"src_port\":" + (1024 + i % 60000)
                    + ",\"dest_ip\":\"192.168.0.53\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"type\":\"query\",\"id\":"
                    + (i & 0xffff) + ",\"rrname\":\"host" + i + ".example.org\",\"rrtype\":\"A\",\"tx_id\":0}}";
        }
        return "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"flow_id\":" + (2_000_000 + i)
                + ",\"event_type\":\"alert\",\"src_ip\":\"10.0.0." + (i % 250) + "\",\"src_port\":" + (1024 + i % 60000)
                + ",\"dest_ip\":\"192.168.0.1\",\"dest_port\":80,\"proto\":\"TCP\",\"alert\":{\"action\":\"allowed\","
                + "\"gid\":1,\"signature_id\":2100498,\"rev\":7,\"signature\":\"GPL ATTACK_RESPONSE id check returned root\","
                + "\"category\":\"Potentially Bad Traffic\",\"severity\":2},\"app_proto\":\"http\"}";
    }

    public static byte[][] flowLines(int count, int keys, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] lines = new byte[count][];
        for (int i = 0; i < count; i++) {
            lines[i] = flow(r, r.nextInt(keys)).getBytes(StandardCharsets.UTF_8);
        }
        return lines;
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : "" + v;
    }

    private static String six(int v) {
        String s = "00000" + v;
        return s.substring(s.length() - 6);
    }
}

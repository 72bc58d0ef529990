package org.eveflow.testing;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a classic pcap file (Ethernet link type) of IPv4/IPv6 TCP, UDP, ICMP and ICMPv6 packets
 * with correct checksums, so Suricata reads it like a real capture. Addresses are literals only
 * (never resolved). Not thread-safe.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final byte[] CLIENT_MAC = {0x02, 0, 0, 0, 0, 0x01};
    private static final byte[] SERVER_MAC = {0x02, 0, 0, 0, 0, 0x02};

    private final OutputStream out;
    private long micros;
    private int ipId;

    public PcapWriter(Path file, long startEpochMicros) throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        micros = startEpochMicros;
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(h.array());
    }

    /** Advances the packet clock. */
    public void advance(long deltaMicros) {
        micros += deltaMicros;
    }

    public static byte[] addr(String literal) {
        try {
            // A literal IP (no DNS lookup happens for literals).
            return InetAddress.getByName(literal).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    public void tcp(byte[] src, byte[] dst, int sport, int dport, long seq, long ack, int flags, byte[] payload,
                    boolean fromClient) throws IOException {
        ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
        t.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack);
        t.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        t.put(payload);
        byte[] seg = t.array();
        setChecksum(seg, 16, src, dst, TCP);
        ip(src, dst, TCP, seg, fromClient);
    }

    public void udp(byte[] src, byte[] dst, int sport, int dport, byte[] payload, boolean fromClient)
            throws IOException {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        u.put(payload);
        byte[] seg = u.array();
        setChecksum(seg, 6, src, dst, UDP);
        ip(src, dst, UDP, seg, fromClient);
    }

    /** ICMP echo (type 8 request / 0 reply) or ICMPv6 echo (128 / 129), chosen by address family. */
    public void echo(byte[] src, byte[] dst, boolean request, int id, int seq, boolean fromClient) throws IOException {
        boolean v6 = src.length == 16;
        ByteBuffer b = ByteBuffer.allocate(8 + 32);
        b.put((byte) (v6 ? (request ? 128 : 129) : (request ? 8 : 0))).put((byte) 0).putShort((short) 0);
        b.putShort((short) id).putShort((short) seq);
        for (int i = 0; i < 32; i++) {
            b.put((byte) ('a' + i % 23));
        }
        byte[] msg = b.array();
        if (v6) {
            setChecksum(msg, 2, src, dst, ICMPV6);
        } else {
            int c = checksum(msg, 0, msg.length, 0);
            msg[2] = (byte) (c >> 8);
            msg[3] = (byte) c;
        }
        ip(src, dst, v6 ? ICMPV6 : ICMP, msg, fromClient);
    }

    private void ip(byte[] src, byte[] dst, int proto, byte[] payload, boolean fromClient) throws IOException {
        ByteBuffer f;
        if (src.length == 4) {
            f = ByteBuffer.allocate(14 + 20 + payload.length);
            ethernet(f, 0x0800, fromClient);
            int start = f.position();
            f.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) ++ipId)
                    .putShort((short) 0x4000).put((byte) 64).put((byte) proto).putShort((short) 0).put(src).put(dst);
            int c = checksum(f.array(), start, 20, 0);
            f.putShort(start + 10, (short) c);
        } else {
            f = ByteBuffer.allocate(14 + 40 + payload.length);
            ethernet(f, 0x86DD, fromClient);
            f.putInt(0x60000000).putShort((short) payload.length).put((byte) proto).put((byte) 64).put(src).put(dst);
        }
        f.put(payload);
        packet(f.array());
    }

    private static void ethernet(ByteBuffer f, int type, boolean fromClient) {
        f.put(fromClient ? SERVER_MAC : CLIENT_MAC).put(fromClient ? CLIENT_MAC : SERVER_MAC).putShort((short) type);
    }

    private void packet(byte[] frame) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(frame.length).putInt(frame.length);
        out.write(h.array());
        out.write(frame);
        micros += 200;
    }

    /** Transport checksum over the IPv4 or IPv6 pseudo-header and the segment. */
    private static void setChecksum(byte[] seg, int at, byte[] src, byte[] dst, int proto) {
        int sum = 0;
        for (byte[] a : new byte[][] {src, dst}) {
            for (int i = 0; i < a.length; i += 2) {
                sum += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
            }
        }
        sum += proto;
        sum += seg.length & 0xffff;
        sum += seg.length >>> 16;
        int c = checksum(seg, 0, seg.length, sum);
        if (c == 0 && proto == UDP) {
            c = 0xffff;
        }
        seg[at] = (byte) (c >> 8);
        seg[at + 1] = (byte) c;
    }

    private static int checksum(byte[] b, int off, int len, int initial) {
        long sum = initial & 0xffffffffL;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        if ((len & 1) == 1) {
            sum += (b[off + len - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

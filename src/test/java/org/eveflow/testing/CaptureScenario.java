package org.eveflow.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A deterministic capture for Suricata: IPv4 and IPv6 clients talking HTTP (port 80), TLS with SNI
 * (443), DNS over UDP (53), and ICMP/ICMPv6 echo, several flows per (src_ip, dest_ip, dest_port)
 * key with different source ports. Every {@code alertEvery}-th HTTP request asks for a URI that the
 * local rule {@link #RULES} alerts on. With edges, some clients also have a TCP session seen from its
 * middle (no handshake: Suricata's midstream exception policy applies) and one whose large response
 * makes it an elephant flow (Suricata 8's flow rate tracking), and a TLS 1.3 session (ClientHello,
 * ServerHello, application data each way) whose tls record carries Suricata 8's {@code ja4}: the
 * records Suricata 8 writes with its new fields ({@code exception_policy}, {@code action},
 * {@code elephant}, {@code tx_cnt}, {@code tls.ja4}).
 */
public final class CaptureScenario {
    public static final String RULES =
            "alert http any any -> any any (msg:\"eveflow test uri\"; flow:established,to_server; "
            + "http.uri; content:\"/eveflow-alert\"; sid:9000001; rev:1;)\n"
            + "alert icmp any any -> any any (msg:\"eveflow test ping\"; itype:8; icode:0; sid:9000002; rev:1;)\n";

    private static final String[] SERVERS_V4 = {"192.168.10.1", "192.168.10.2", "192.168.10.53"};
    private static final String[] SERVERS_V6 = {"2001:db8:10::1", "2001:db8:10::2", "2001:db8:10::53"};

    private CaptureScenario() {
    }

    /**
     * Writes the capture (its DNS names and URIs carry {@code tag}): {@code clients} v4 and {@code clients / 2} v6 clients, each with
     * {@code flowsPerKey} flows per service. Returns the number of flows written.
     */
    public static int write(Path pcap, String tag, int clients, int flowsPerKey, int alertEvery, long startMicros,
                            long gapMicros) throws IOException {
        return write(pcap, tag, clients, flowsPerKey, alertEvery, startMicros, gapMicros, false);
    }

    /** As {@link #write(Path, String, int, int, int, long, long)}, with the edge flows when {@code edges}. */
    public static int write(Path pcap, String tag, int clients, int flowsPerKey, int alertEvery, long startMicros,
                            long gapMicros, boolean edges) throws IOException {
        int flows = 0;
        int n = 0;
        try (PcapWriter w = new PcapWriter(pcap, startMicros)) {
            for (int round = 0; round < flowsPerKey; round++) {
                for (int c = 0; c < clients + clients / 2; c++) {
                    boolean v6 = c >= clients;
                    String client = v6 ? "2001:db8:1::" + Integer.toHexString(c - clients + 1)
                            : "10.1." + (c / 200) + "." + (c % 200 + 1);
                    String[] servers = v6 ? SERVERS_V6 : SERVERS_V4;
                    byte[] cl = PcapWriter.addr(client);
                    int sport = 20_000 + round * 7 + (c % 5);
                    n++;
                    String uri = (alertEvery > 0 && n % alertEvery == 0) ? "/eveflow-alert/" + tag + "/" + n
                            : "/index/" + tag + "/" + n;
                    tcpSession(w, cl, PcapWriter.addr(servers[0]), sport, 80, http(uri), httpResponse());
                    tcpSession(w, cl, PcapWriter.addr(servers[1]), sport + 1, 443, clientHello("host" + n + ".example.org"),
                            new byte[0]);
                    dns(w, cl, PcapWriter.addr(servers[2]), sport + 2, "q" + n + "." + tag + ".example.org", n);
                    w.echo(cl, PcapWriter.addr(servers[0]), true, n & 0xffff, 1, true);
                    w.echo(PcapWriter.addr(servers[0]), cl, false, n & 0xffff, 1, false);
                    flows += 4;
                    if (edges && round == 0 && c % 10 == 0) {
                        midstream(w, cl, PcapWriter.addr(servers[1]), sport + 3, 8443);
                        tcpSession(w, cl, PcapWriter.addr(servers[0]), sport + 4, 80, http("/big/" + tag + "/" + n),
                                bigResponse());
                        tls13Session(w, cl, PcapWriter.addr(servers[1]), sport + 5, "tls13-" + n + ".example.org");
                        flows += 3;
                    }
                    w.advance(gapMicros);
                }
            }
        }
        return flows;
    }

    private static void tcpSession(PcapWriter w, byte[] c, byte[] s, int sport, int dport, byte[] request,
                                   byte[] response) throws IOException {
        long cs = 1000 + sport;
        long ss = 500_000 + sport;
        w.tcp(c, s, sport, dport, cs, 0, PcapWriter.SYN, new byte[0], true);
        w.tcp(s, c, dport, sport, ss, cs + 1, PcapWriter.SYN | PcapWriter.ACK, new byte[0], false);
        w.tcp(c, s, sport, dport, cs + 1, ss + 1, PcapWriter.ACK, new byte[0], true);
        w.tcp(c, s, sport, dport, cs + 1, ss + 1, PcapWriter.PSH | PcapWriter.ACK, request, true);
        long cNext = cs + 1 + request.length;
        w.tcp(s, c, dport, sport, ss + 1, cNext, PcapWriter.ACK, new byte[0], false);
        long sNext = ss + 1;
        if (response.length > 0) {
            w.tcp(s, c, dport, sport, ss + 1, cNext, PcapWriter.PSH | PcapWriter.ACK, response, false);
            sNext += response.length;
            w.tcp(c, s, sport, dport, cNext, sNext, PcapWriter.ACK, new byte[0], true);
        }
        w.tcp(c, s, sport, dport, cNext, sNext, PcapWriter.FIN | PcapWriter.ACK, new byte[0], true);
        w.tcp(s, c, dport, sport, sNext, cNext + 1, PcapWriter.FIN | PcapWriter.ACK, new byte[0], false);
        w.tcp(c, s, sport, dport, cNext + 1, sNext + 1, PcapWriter.ACK, new byte[0], true);
    }

    /** A TLS 1.3 session: ClientHello, ServerHello and an application-data record from the server, one from the client. */
    private static void tls13Session(PcapWriter w, byte[] c, byte[] s, int sport, String sni) throws IOException {
        long cs = 3_000 + sport;
        long ss = 700_000 + sport;
        int dport = 443;
        byte[] hello = tlsRecord(0x16, 0x0303, handshake(1, clientHelloBody(sni, 0x1301, true)));
        byte[] app = tlsRecord(0x17, 0x0303, new byte[40]);
        byte[] reply = concat(tlsRecord(0x16, 0x0303, handshake(2, tls13ServerHelloBody())), app);
        w.tcp(c, s, sport, dport, cs, 0, PcapWriter.SYN, new byte[0], true);
        w.tcp(s, c, dport, sport, ss, cs + 1, PcapWriter.SYN | PcapWriter.ACK, new byte[0], false);
        w.tcp(c, s, sport, dport, cs + 1, ss + 1, PcapWriter.ACK, new byte[0], true);
        w.tcp(c, s, sport, dport, cs + 1, ss + 1, PcapWriter.PSH | PcapWriter.ACK, hello, true);
        long cNext = cs + 1 + hello.length;
        w.tcp(s, c, dport, sport, ss + 1, cNext, PcapWriter.PSH | PcapWriter.ACK, reply, false);
        long sNext = ss + 1 + reply.length;
        w.tcp(c, s, sport, dport, cNext, sNext, PcapWriter.PSH | PcapWriter.ACK, app, true);
        cNext += app.length;
        w.tcp(c, s, sport, dport, cNext, sNext, PcapWriter.FIN | PcapWriter.ACK, new byte[0], true);
        w.tcp(s, c, dport, sport, sNext, cNext + 1, PcapWriter.FIN | PcapWriter.ACK, new byte[0], false);
        w.tcp(c, s, sport, dport, cNext + 1, sNext + 1, PcapWriter.ACK, new byte[0], true);
    }

    private static byte[] tls13ServerHelloBody() {
        ByteBuffer body = ByteBuffer.allocate(2 + 32 + 1 + 2 + 1 + 2 + 6);
        body.putShort((short) 0x0303);
        for (int i = 0; i < 32; i++) {
            body.put((byte) (100 + i));
        }
        body.put((byte) 0).putShort((short) 0x1301).put((byte) 0).putShort((short) 6)
                .putShort((short) 0x002b).putShort((short) 2).putShort((short) 0x0304);
        return body.array();
    }

    private static byte[] handshake(int type, byte[] body) {
        ByteBuffer hs = ByteBuffer.allocate(4 + body.length);
        hs.put((byte) type).put((byte) (body.length >> 16)).putShort((short) body.length).put(body);
        return hs.array();
    }

    private static byte[] tlsRecord(int contentType, int version, byte[] payload) {
        ByteBuffer rec = ByteBuffer.allocate(5 + payload.length);
        rec.put((byte) contentType).putShort((short) version).putShort((short) payload.length).put(payload);
        return rec.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** A TCP session whose handshake the capture missed: data both ways, then FIN. */
    private static void midstream(PcapWriter w, byte[] c, byte[] s, int sport, int dport) throws IOException {
        long cs = 7_000 + sport;
        long ss = 900_000 + sport;
        byte[] request = "PING midstream\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] reply = "PONG midstream\r\n".getBytes(StandardCharsets.US_ASCII);
        w.tcp(c, s, sport, dport, cs, ss, PcapWriter.PSH | PcapWriter.ACK, request, true);
        w.tcp(s, c, dport, sport, ss, cs + request.length, PcapWriter.PSH | PcapWriter.ACK, reply, false);
        w.tcp(c, s, sport, dport, cs + request.length, ss + reply.length, PcapWriter.FIN | PcapWriter.ACK, new byte[0], true);
        w.tcp(s, c, dport, sport, ss + reply.length, cs + request.length + 1, PcapWriter.FIN | PcapWriter.ACK,
                new byte[0], false);
    }

    /** An HTTP response of 48 KiB: more than the 16 KiB per 10 s the Suricata 8 tests mark as an elephant flow. */
    private static byte[] bigResponse() {
        byte[] body = new byte[48 << 10];
        java.util.Arrays.fill(body, (byte) 'x');
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static byte[] http(String uri) {
        return ("GET " + uri + " HTTP/1.1\r\nHost: www.example.org\r\nUser-Agent: eveflow-test\r\n"
                + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] httpResponse() {
        return ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A TLS 1.2 ClientHello record with an SNI extension. */
    static byte[] clientHello(String sni) {
        return tlsRecord(0x16, 0x0301, handshake(1, clientHelloBody(sni, 0xc02f, false)));
    }

    /** A ClientHello's body: one cipher suite, the SNI extension, and supported_versions 1.3 if {@code tls13}. */
    private static byte[] clientHelloBody(String sni, int cipherSuite, boolean tls13) {
        byte[] name = sni.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer ext = ByteBuffer.allocate(9 + name.length + (tls13 ? 7 : 0));
        ext.putShort((short) 0).putShort((short) (5 + name.length)).putShort((short) (3 + name.length))
                .put((byte) 0).putShort((short) name.length).put(name);
        if (tls13) {
            ext.putShort((short) 0x002b).putShort((short) 3).put((byte) 2).putShort((short) 0x0304);
        }
        ByteBuffer body = ByteBuffer.allocate(2 + 32 + 1 + 4 + 2 + 2 + ext.capacity());
        body.putShort((short) 0x0303);
        for (int i = 0; i < 32; i++) {
            body.put((byte) i);
        }
        body.put((byte) 0).putShort((short) 2).putShort((short) cipherSuite).put((byte) 1).put((byte) 0);
        body.putShort((short) ext.capacity()).put(ext.array());
        return body.array();
    }

    private static void dns(PcapWriter w, byte[] c, byte[] s, int sport, String qname, int id) throws IOException {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        for (String label : qname.split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        q.write(0);
        byte[] name = q.toByteArray();
        ByteBuffer query = ByteBuffer.allocate(12 + name.length + 4);
        query.putShort((short) id).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).put(name).putShort((short) 1).putShort((short) 1);
        w.udp(c, s, sport, 53, query.array(), true);
        ByteBuffer resp = ByteBuffer.allocate(12 + name.length + 4 + 16);
        resp.putShort((short) id).putShort((short) 0x8180).putShort((short) 1).putShort((short) 1)
                .putShort((short) 0).putShort((short) 0).put(name).putShort((short) 1).putShort((short) 1)
                .putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(300).putShort((short) 4)
                .put(new byte[] {(byte) 192, 0, 2, (byte) (id % 250 + 1)});
        w.udp(s, c, 53, sport, resp.array(), false);
    }
}

package org.eveflow.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address to listen on, as an operator writes it: an IPv4 literal or a bracketed IPv6 literal and
 * a port ("127.0.0.1:9917", "[::1]:9917", "0.0.0.0:9917"). Never a host name: a listener binds where
 * the operator says, not where a resolver says today. Stateless.
 */
final class ListenAddress {
    private static final Pattern FORM = Pattern.compile("(?:\\[([0-9A-Fa-f:.]+)\\]|([0-9.]+)):([0-9]{1,5})");

    private ListenAddress() {
    }

    /** The address; throws IllegalArgumentException saying what is wrong with {@code text}. */
    static InetSocketAddress parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address and port (127.0.0.1:9917,"
                    + " [::1]:9917, 0.0.0.0:9917 for every interface)");
        }
        int port = Integer.parseInt(m.group(3));
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1 to 65535)");
        }
        String ip = m.group(1) != null ? m.group(1) : m.group(2);
        if (m.group(2) != null && !isIpv4(ip)) { // checked first: getByName would look a non-literal up in DNS
            throw new IllegalArgumentException("'" + ip + "' is not an IPv4 address (four numbers 0-255, e.g. 127.0.0.1)");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(ip); // a literal (IPv4 checked; with ':' Java parses IPv6 only)
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + ip + "' is not an IPv6 address");
        }
        if (m.group(1) != null && address instanceof Inet4Address) {
            throw new IllegalArgumentException("'[" + ip + "]' is an IPv4 address in brackets; write it without them");
        }
        return new InetSocketAddress(address, port);
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}

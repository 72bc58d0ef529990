package org.eveflow.daemon;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The machine's names for the {@code host} tag: eveflow's own points use the kernel's host name (no
 * DNS); points in FEVER's format use the names FEVER 1.3.7 uses, which may differ from it and from each
 * other: its stats encoder's (fluxline: the first IPv4 address of the host name, looked up backwards,
 * e.g. "localhost" where /etc/hosts lists the host name on 127.0.0.1 after localhost) and its
 * profilers' ({@code hostname -f}). Each falls back to the kernel's name as FEVER does. Stateless.
 */
final class Hostname {
    /** {@code hostname -f} may wait on DNS; FEVER waits as long, eveflow not longer than this. */
    private static final long HOSTNAME_F_SECONDS = 10;

    private Hostname() {
    }

    static String local() {
        try {
            String h = ProcFiles.read(Path.of("/proc/sys/kernel/hostname"));
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | SecurityException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }

    /** The host name of FEVER's stats encoder points (flow aggregate, dispatch, input queue, outputs). */
    static String feverPoints() {
        String host = local();
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a instanceof Inet4Address) { // only the first IPv4 address counts, as in fluxline
                    InetAddress bare = InetAddress.getByAddress(a.getAddress());
                    String name = bare.getCanonicalHostName(); // the address itself when nothing names it
                    return name.isEmpty() || name.equals(bare.getHostAddress()) ? host : name.replaceAll("\\.$", "");
                }
            }
        } catch (IOException | SecurityException e) {
            return host;
        }
        return host;
    }

    /** The host name of FEVER's event and flow profiler points: {@code hostname -f}, as FEVER runs it. */
    static String feverProfiles() {
        try {
            Process p = new ProcessBuilder("/bin/hostname", "-f").redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(HOSTNAME_F_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return local();
            }
            String s = new String(out, StandardCharsets.UTF_8);
            return s.length() > 1 ? s.substring(0, s.length() - 1) : "unknown"; // FEVER cuts the newline so
        } catch (IOException e) {
            return local();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return local();
        }
    }
}

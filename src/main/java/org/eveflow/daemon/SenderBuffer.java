package org.eveflow.daemon;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The send buffer Suricata's unix_stream eve-log gets (docs/live-suricata.md): Suricata 7 never sets
 * SO_SNDBUF, so its socket takes {@code net.core.wmem_default} when it connects, and in live mode it
 * drops every record that does not fit. Read once at start to tell the operator when it is below the
 * recommended size. Stateless.
 */
final class SenderBuffer {
    static final Path WMEM_DEFAULT = Path.of("/proc/sys/net/core/wmem_default");
    /** What docs/live-suricata.md recommends (measured there). */
    static final long RECOMMENDED = 4L << 20;

    private SenderBuffer() {
    }

    /** An info line when the setting is below the recommendation; null when it is not, or unreadable. */
    static String advice(Path wmemDefault) {
        long bytes;
        try {
            bytes = Long.parseLong(ProcFiles.read(wmemDefault));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        if (bytes >= RECOMMENDED) {
            return null;
        }
        return String.format("Suricata's socket to eveflow gets net.core.wmem_default = %d bytes of send buffer; in live"
                + " mode Suricata drops the records of a burst that do not fit (it counts them only at exit). %d MiB"
                + " is recommended (docs/live-suricata.md; /etc/sysctl.d/60-eveflow-suricata-socket.conf)",
                bytes, RECOMMENDED >> 20);
    }
}

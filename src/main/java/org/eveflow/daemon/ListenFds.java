package org.eveflow.daemon;

import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd socket activation (sd_listen_fds): with {@code LISTEN_PID} equal to this process's pid and
 * {@code LISTEN_FDS} at least 1, the listening socket is file descriptor 3. Pure apart from logging.
 */
final class ListenFds {
    static final int FIRST = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ListenFds.class);

    private ListenFds() {
    }

    /** The inherited listening socket's descriptor, if systemd passed one to this very process. */
    static OptionalInt inherited(Map<String, String> env, long pid) {
        String fds = env.get("LISTEN_FDS");
        String forPid = env.get("LISTEN_PID");
        if (fds == null || forPid == null) {
            return OptionalInt.empty();
        }
        int n;
        try {
            if (Long.parseLong(forPid.trim()) != pid) {
                return OptionalInt.empty(); // meant for another process (e.g. our parent)
            }
            n = Integer.parseInt(fds.trim());
        } catch (NumberFormatException e) {
            LOG.warn("ignoring malformed LISTEN_FDS/LISTEN_PID ({} / {})", fds, forPid);
            return OptionalInt.empty();
        }
        if (n < 1) {
            return OptionalInt.empty();
        }
        if (n > 1) {
            LOG.warn("systemd passed {} sockets; eveflow uses the first (fd {}) as its input", n, FIRST);
        }
        return OptionalInt.of(FIRST);
    }
}

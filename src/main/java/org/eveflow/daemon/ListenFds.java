package org.eveflow.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eveflow.ingest.EveServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd socket activation (sd_listen_fds): with {@code LISTEN_PID} equal to this process's pid and
 * {@code LISTEN_FDS} at least 1, descriptors 3 and on. Those {@code LISTEN_FDNAMES} names with
 * {@link EveServer#HANDOVER_PREFIX} are input connections a previous instance handed over (the fd
 * store); the first other one is the listening socket. Pure apart from logging.
 */
final class ListenFds {
    static final int FIRST = 3;

    private ListenFds() {
    }

    /** Looked up when needed: EarlyReader calls this class before logging is set up, and must not wait for it. */
    private static Logger log() {
        return LoggerFactory.getLogger(ListenFds.class);
    }

    /** An input connection handed over by the previous instance: its descriptor and its FDNAME. */
    record Connection(int fd, String name) {
    }

    /** The inherited listening socket's descriptor, if systemd passed one to this very process. */
    static OptionalInt inherited(Map<String, String> env, long pid) {
        int n = count(env, pid);
        List<String> names = names(env, n);
        int listeners = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (!names.get(i).startsWith(EveServer.HANDOVER_PREFIX)) {
                listeners++;
                first = first < 0 ? FIRST + i : first;
            }
        }
        if (listeners > 1) {
            log().warn("systemd passed {} sockets; eveflow uses the first (fd {}) as its input", listeners, first);
        }
        return first < 0 ? OptionalInt.empty() : OptionalInt.of(first);
    }

    /** The input connections a previous instance handed over through the fd store, in the order passed. */
    static List<Connection> handedOver(Map<String, String> env, long pid) {
        int n = count(env, pid);
        List<String> names = names(env, n);
        List<Connection> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (names.get(i).startsWith(EveServer.HANDOVER_PREFIX)) {
                result.add(new Connection(FIRST + i, names.get(i)));
            }
        }
        return result;
    }

    /** LISTEN_FDNAMES, one per descriptor ("unknown" where it names fewer, as sd_listen_fds_with_names). */
    private static List<String> names(Map<String, String> env, int n) {
        String joined = env.get("LISTEN_FDNAMES");
        String[] given = joined == null || joined.isEmpty() ? new String[0] : joined.split(":", -1);
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(i < given.length ? given[i] : "unknown");
        }
        return names;
    }

    /** How many descriptors systemd passed to this very process (0 if none, or meant for another). */
    private static int count(Map<String, String> env, long pid) {
        String fds = env.get("LISTEN_FDS");
        String forPid = env.get("LISTEN_PID");
        if (fds == null || forPid == null) {
            return 0;
        }
        try {
            if (Long.parseLong(forPid.trim()) != pid) {
                return 0; // meant for another process (e.g. our parent)
            }
            return Math.max(0, Integer.parseInt(fds.trim()));
        } catch (NumberFormatException e) {
            log().warn("ignoring malformed LISTEN_FDS/LISTEN_PID ({} / {})", fds, forPid);
            return 0;
        }
    }
}

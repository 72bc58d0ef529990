package org.eveflow.daemon;

import com.sun.jna.LastErrorException;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the input connections a previous instance handed over from the first moment of this JVM, while
 * the daemon is still starting (about a second, two on a busy sensor): Suricata goes on writing into
 * them, and what it writes meanwhile would otherwise have to wait in its socket's send buffer, which
 * overflows (Suricata drops) when it is smaller than the start. The bytes are kept in memory, at most
 * {@link #MAX_BYTES} per connection (beyond that the socket's buffer holds the rest), and handed to the
 * daemon when it takes the connection ({@link #take}), in order, before anything it reads itself.
 * One thread ({@code eveflow-early-read}), non-blocking recv through JNA; thread-safe.
 */
public final class EarlyReader {
    /** What one connection may gather before the daemon takes it: 8 s of a sensor writing 2 MB/s; heap, briefly. */
    static final int MAX_BYTES = 16 << 20;
    private static final int CHUNK = 64 << 10;
    /** How long the thread sleeps when no connection had anything to read. */
    private static final long IDLE_MILLIS = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;

    private static volatile EarlyReader started;
    /** When the first recv was made (epoch ms), or 0: how long a restart left the connections unread shows in the log. */
    private static volatile long firstReadMillis;

    private final Map<Integer, ByteArrayOutputStream> read = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    private EarlyReader(List<ListenFds.Connection> connections) {
        connections.forEach(c -> read.put(c.fd(), new ByteArrayOutputStream()));
        thread = new Thread(this::loop, "eveflow-early-read");
        thread.setDaemon(true);
    }

    /**
     * Starts reading the handed-over connections in {@code env}, if any: Main calls it first thing for
     * run, before logging or anything else is set up (JNA is loaded on the reading thread).
     */
    public static synchronized void startIfHandedOver(Map<String, String> env) {
        List<ListenFds.Connection> connections = ListenFds.handedOver(env, ProcessHandle.current().pid());
        if (started != null || connections.isEmpty()) {
            return;
        }
        EarlyReader r = new EarlyReader(connections);
        r.thread.start();
        started = r;
    }

    /** Stops reading and returns what was read from {@code fd} (empty if nothing was, or none started). */
    static byte[] take(int fd) {
        EarlyReader r = started;
        if (r == null) {
            return new byte[0];
        }
        r.stopping = true;
        try {
            r.thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (r.read) {
            ByteArrayOutputStream b = r.read.remove(fd);
            return b == null ? new byte[0] : b.toByteArray();
        }
    }

    /** When the first early read was made ("never" if none was): compare with the old instance's handover. */
    static String firstRead() {
        long first = firstReadMillis;
        return first == 0 ? "never" : Instant.ofEpochMilli(first).toString();
    }

    private void loop() {
        LibC libc;
        try {
            if (!FdPassing.supported()) {
                return;
            }
            libc = LibC.get();
        } catch (LinkageError e) { // no JNA native for this platform (LibC.get)
            return; // the daemon reads the connections itself once it takes them
        }
        byte[] chunk = new byte[CHUNK];
        firstReadMillis = System.currentTimeMillis();
        Map<Integer, Boolean> open = new HashMap<>();
        read.keySet().forEach(fd -> open.put(fd, true));
        while (!stopping && open.containsValue(true)) {
            boolean any = false;
            for (Map.Entry<Integer, Boolean> e : open.entrySet()) {
                if (!e.getValue()) {
                    continue;
                }
                ByteArrayOutputStream into = read.get(e.getKey());
                int room = MAX_BYTES - into.size();
                if (room <= 0) {
                    e.setValue(false); // full: the socket's buffer holds the rest
                    continue;
                }
                long n;
                try {
                    n = libc.recv(e.getKey(), chunk, Math.min(CHUNK, room), MSG_DONTWAIT);
                } catch (LastErrorException err) {
                    if (err.getErrorCode() != EAGAIN && err.getErrorCode() != EINTR) {
                        e.setValue(false); // an error the daemon will see too when it reads
                    }
                    continue;
                }
                if (n <= 0) {
                    e.setValue(false); // end of input: the daemon sees it when it reads
                    continue;
                }
                synchronized (read) {
                    into.write(chunk, 0, (int) n);
                }
                any = true;
            }
            if (!any) {
                try {
                    Thread.sleep(IDLE_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}

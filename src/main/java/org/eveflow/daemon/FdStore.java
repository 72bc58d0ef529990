package org.eveflow.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eveflow.ingest.Handover;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's file-descriptor store, through which the live input connections outlive this instance:
 * each goes in when it is admitted ({@code FDSTORE=1}, {@code FDNAME=eveflow-conn-...}) and comes out
 * when this instance ends it ({@code FDSTOREREMOVE=1}). At a stop that is part of a restart (a restart
 * job of this unit is running: systemctl restart, try-restart during a package upgrade) the start of
 * the line a connection's last read ended inside goes into a file of its name under the runtime
 * directory (kept across restarts). systemd keeps the store while a restart's start job is queued and
 * across the automatic restart after a crash ({@code Restart=}), and drops it at a plain stop; the next
 * instance gets the connections back in {@code LISTEN_FDS}/{@code LISTEN_FDNAMES} and keeps them in the
 * store under the same names. A connection that comes back without its file was not handed over: the
 * previous instance ended without a stop (a crash, kill -9, the watchdog). Used only when the unit says
 * so ({@code FDSTORE} in the environment, as systemd 254 and later set it from
 * {@code FileDescriptorStoreMax=}; the package's unit sets it for 252), with {@code NOTIFY_SOCKET} and a
 * {@code RUNTIME_DIRECTORY}. Thread-safe (the names in the store are a concurrent set).
 */
final class FdStore implements Handover.Keeper {
    private static final Logger LOG = LoggerFactory.getLogger(FdStore.class);
    /** How long systemctl may take to say which job is running (it asks the service manager over D-Bus). */
    private static final long JOBS_TIMEOUT_MS = 3_000;

    private final String notifySocket;
    private final Path handoverDir;
    private final String unit;
    /** The names this instance has in the store: a restart's handover adds only what is not there yet. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();

    private FdStore(String notifySocket, Path handoverDir, String unit) {
        this.notifySocket = notifySocket;
        this.handoverDir = handoverDir;
        this.unit = unit;
    }

    /** The store this process may use, or null (not run by systemd with a store). */
    static FdStore fromEnvironment(Map<String, String> env) {
        String notify = env.get("NOTIFY_SOCKET");
        String max = env.get("FDSTORE");
        String runtime = env.get("RUNTIME_DIRECTORY");
        if (notify == null || notify.isEmpty() || max == null || runtime == null || runtime.isEmpty()) {
            return null;
        }
        try {
            if (Integer.parseInt(max.trim()) < 1) {
                return null;
            }
        } catch (NumberFormatException e) {
            LOG.warn("ignoring malformed FDSTORE={}", max);
            return null;
        }
        if (!FdPassing.supported()) {
            LOG.warn("FDSTORE is set, but this platform is not 64-bit Linux: restarts close the input connections");
            return null;
        }
        String unit = ownUnit();
        if (unit == null) {
            LOG.warn("FDSTORE is set, but this process's systemd unit is not in /proc/self/cgroup: restarts close "
                    + "the input connections");
            return null;
        }
        // the first of RUNTIME_DIRECTORY's colon-separated directories
        return new FdStore(notify, Path.of(runtime.split(":")[0]).resolve("handover"), unit);
    }

    /** The unit this process runs in: the last path element of its cgroup that names a service. */
    private static String ownUnit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String path = line.substring(line.lastIndexOf(':') + 1);
                for (String part : path.split("/")) {
                    if (part.endsWith(".service")) {
                        return part;
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot read /proc/self/cgroup: {}", e.getMessage());
        }
        return null;
    }

    /** Whether this stop is part of a restart: a restart job of this unit is running. */
    boolean restarting() {
        try {
            Process p = new ProcessBuilder("systemctl", "list-jobs", "--no-legend", "--no-pager", unit)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(JOBS_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return false;
            }
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[1].equals(unit) && f[2].contains("restart")) {
                    return true;
                }
            }
            LOG.debug("systemctl list-jobs {}: {}", unit, out.trim());
        } catch (IOException e) {
            LOG.warn("cannot ask systemd whether this stop is a restart ({}): closing the input connections", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void store(int fd, String name) {
        try {
            put(fd, name);
        } catch (IOException | RuntimeException e) {
            LOG.warn("input connection {} could not be put into systemd's fd store ({}): a crash would close it; "
                    + "a restart tries again", name, e.getMessage());
        }
    }

    /** Sends {@code fd} to the store under {@code name} and notes that it is there. */
    private void put(int fd, String name) throws IOException {
        FdPassing.send(notifySocket, "FDSTORE=1\nFDNAME=" + name, fd);
        stored.add(name);
    }

    @Override
    public void remove(String name) {
        if (stored.remove(name)) {
            release(name);
        }
    }

    /** Writes what the framer held, and puts the socket into the store if it is not there yet. */
    @Override
    public boolean keep(int fd, String name, Handover held) {
        try {
            Files.createDirectories(handoverDir);
            byte[] tail = held.tail();
            byte[] file = new byte[tail.length + 1];
            file[0] = (byte) (held.discarding() ? 'D' : 'T');
            System.arraycopy(tail, 0, file, 1, tail.length);
            Files.write(handoverDir.resolve(name), file);
            if (!stored.contains(name)) {
                put(fd, name);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("input connection {} could not be handed over ({}): closed as at a plain stop", name,
                    e.getMessage());
            return false;
        }
    }

    /**
     * What the previous instance held for {@code name}, read once (the file is removed), or null if it
     * left no file (it ended without a stop). Either way the connection is in the store under
     * {@code name} again, this instance's to remove.
     */
    Handover held(String name) {
        stored.add(name);
        Path f = handoverDir.resolve(name);
        if (!Files.exists(f)) {
            return null;
        }
        try {
            byte[] file = Files.readAllBytes(f);
            Files.delete(f);
            if (file.length == 0) {
                return Handover.resume(new byte[0], false);
            }
            return Handover.resume(Arrays.copyOfRange(file, 1, file.length), file[0] == 'D');
        } catch (IOException e) {
            LOG.warn("cannot read the handover file of input connection {} ({}): its first line may be cut", name,
                    e.getMessage());
            return Handover.resume(new byte[0], false);
        }
    }

    /**
     * Removes what is left in the handover directory once the handed-over connections are taken: the
     * files of connections that did not come back (their writer closed them during the restart, and
     * systemd dropped them from the store). Returns how many held the start of a line, which is cut.
     */
    int discardLeftovers() {
        int cut = 0;
        if (!Files.isDirectory(handoverDir)) {
            return 0;
        }
        try (var files = Files.list(handoverDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.size(f) > 1) {
                    cut++;
                }
                Files.delete(f);
                LOG.warn("input connection {} was handed over but did not come back (closed during the restart)",
                        f.getFileName());
            }
        } catch (IOException e) {
            LOG.warn("cannot clean the handover directory {}: {}", handoverDir, e.getMessage());
        }
        return cut;
    }

    private void release(String name) {
        try {
            FdPassing.send(notifySocket, "FDSTOREREMOVE=1\nFDNAME=" + name, -1);
        } catch (IOException e) {
            LOG.warn("cannot remove {} from systemd's fd store ({}): the connection stays open there", name,
                    e.getMessage());
        }
    }
}

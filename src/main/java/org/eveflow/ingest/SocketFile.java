package org.eveflow.ingest;

import org.eveflow.transport.Errors;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The input socket's path on disk. Invariants: a path that is not a socket is never removed; a
 * socket that accepts a connection (another live process) is never taken; a stale socket is removed
 * only after a refused connect probe. No other user can connect before the socket has its mode and
 * group: the listener is bound inside a private directory (mode 0700) next to the path, given its
 * mode and group there, then hard-linked into place (link() fails atomically if the path appeared
 * meanwhile); the private directory is removed again. At shutdown the path is removed only if it is
 * still our inode. Not thread-safe: used by the daemon's start/stop sequence only.
 */
final class SocketFile {
    private static final Logger LOG = LoggerFactory.getLogger(SocketFile.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final Path privateDir;
    private final Path temp;
    private final int mode;
    private final String group;
    private Object fileKey;

    private SocketFile(Path path, Path privateDir, int mode, String group) {
        this.path = path;
        this.privateDir = privateDir;
        this.temp = privateDir.resolve("s");
        this.mode = mode;
        this.group = group;
    }

    /**
     * Checks the path, removes a stale socket and makes the private directory; the caller then binds
     * {@link #bindPath()} and calls {@link #publish()}. {@code group} may be null.
     */
    static SocketFile claim(Path path, int mode, String group) throws SocketInUseException, IOException {
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("directory of the input socket " + path + " does not exist");
        }
        removeIfStale(path);
        Path privateDir = dir.resolve(".eveflow-" + ProcessHandle.current().pid());
        if (privateDir.resolve("s").toString().length() > 107) {
            throw new IOException("cannot create the input socket safely: " + privateDir.resolve("s")
                    + " (where it is bound first) is longer than 107 bytes; use a shorter directory");
        }
        deleteLeftover(privateDir); // our own pid's leftover; no other process uses this name
        Files.createDirectory(privateDir, PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE)));
        return new SocketFile(path, privateDir, mode, group);
    }

    private static void deleteLeftover(Path privateDir) throws IOException {
        if (Files.isDirectory(privateDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(privateDir.resolve("s"));
        }
        Files.deleteIfExists(privateDir);
    }

    static void removeIfStale(Path path) throws SocketInUseException, IOException {
        int fileMode;
        try {
            fileMode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if ((fileMode & S_IFMT) != S_IFSOCK) {
            throw new SocketInUseException(path + " exists and is not a socket; refusing to remove it");
        }
        if (probe(path, PROBE_TIMEOUT_MS)) {
            Files.delete(path);
            LOG.info("removed stale socket file {} (nobody listens on it: connection refused)", path);
        }
    }

    /** How long the stale-socket probe waits for a listener to answer. */
    static final long PROBE_TIMEOUT_MS = 1_000;

    /**
     * Probes the socket at {@code path} without ever blocking for longer than {@code timeoutMs}: true
     * if it is stale (the connection is refused: nobody listens); otherwise throws, naming why it is
     * treated as in use: it accepted the connection, or a listener exists that does not answer (stopped,
     * hung, its queue full), or the probe itself failed.
     */
    static boolean probe(Path path, long timeoutMs) throws SocketInUseException {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX);
             Selector selector = Selector.open()) {
            probe.configureBlocking(false);
            boolean connected;
            try {
                connected = probe.connect(UnixDomainSocketAddress.of(path));
            } catch (ConnectException e) {
                return true; // ECONNREFUSED: nobody listens; the file is stale
            } catch (IOException e) {
                // EAGAIN: a listener exists but its accept queue is full (stopped or hung)
                throw new SocketInUseException(path + " belongs to a listener that does not accept connections ("
                        + Errors.describe(e) + "); treated as in use: stop that process or remove the file");
            }
            if (!connected) {
                probe.register(selector, SelectionKey.OP_CONNECT);
                if (selector.select(timeoutMs) == 0) {
                    throw new SocketInUseException(path + " belongs to a listener that did not answer within "
                            + timeoutMs + " ms; treated as in use: stop that process or remove the file");
                }
                try {
                    probe.finishConnect();
                } catch (ConnectException e) {
                    return true;
                }
            }
            throw new SocketInUseException(path + " is in use by another process (it accepted a connection); "
                    + "stop that process or choose another --in-socket");
        } catch (SocketInUseException e) {
            throw e;
        } catch (IOException e) {
            throw new SocketInUseException("cannot probe " + path + ": " + Errors.describe(e));
        }
    }

    Path bindPath() {
        return temp;
    }

    /** Sets mode and group on the bound socket (still private) and links it into place. */
    void publish() throws SocketInUseException, IOException {
        try {
            Files.setPosixFilePermissions(temp, permissions(mode));
            if (group != null) {
                try {
                    Files.getFileAttributeView(temp, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS).setGroup(path.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByGroupName(group));
                } catch (IOException e) {
                    throw new IOException("cannot give the input socket to group '" + group + "' (eveflow must be"
                            + " root or a member of it): " + e.getMessage(), e);
                }
            }
            try {
                Files.createLink(path, temp);
            } catch (FileAlreadyExistsException e) {
                throw new SocketInUseException(path + " was created by another process while eveflow started");
            }
            fileKey = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
        } finally {
            deleteLeftover(privateDir);
        }
    }

    /** Removes the private directory if {@link #publish()} was never reached (bind failed). */
    void abandon() {
        try {
            deleteLeftover(privateDir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", privateDir, e.getMessage());
        }
    }

    /** Whether the path is still the socket we created (not removed or replaced by someone else). */
    boolean isOurs() {
        if (fileKey == null) {
            return false;
        }
        try {
            return Objects.equals(fileKey, Files.readAttributes(path,
                    BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the socket file if it is still the one we created. */
    void remove() {
        if (fileKey == null) {
            return;
        }
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(now, fileKey)) {
                Files.delete(path);
            } else {
                LOG.warn("{} was replaced by another file; leaving it in place", path);
            }
        } catch (NoSuchFileException e) {
            LOG.debug("{} already removed", path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.getMessage());
        }
        fileKey = null;
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}

package org.eveflow.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code run} would refuse on this machine although the configuration is valid, checked without
 * opening a socket (for {@code check-config}): the input socket's directory (exists, is one, this user
 * may create a file in it) and a file already at the socket's path that is not a socket, unless the
 * package's eveflow.socket holds that path (systemd makes both, and run takes the socket over); a
 * socket group this user cannot give a file to; a log file that cannot be created or appended to.
 * Each refusal is a {@link ConfigException} with {@link ConfigException#refusedByHost()}. Stateless.
 */
public final class HostChecks {
    private static final int S_IFMT = 0170000; // the file type bits of st_mode
    private static final int S_IFSOCK = 0140000; // a socket

    private HostChecks() {
    }

    public static void check(Config c) throws ConfigException {
        check(c, Path.of("/"));
    }

    /** As {@link #check(Config)}, with systemd's unit directories under {@code root} (tests). */
    static void check(Config c, Path root) throws ConfigException {
        if (!heldBySystemd(c.input().socket(), root)) {
            checkInputSocket(c.input().socket());
        }
        if (c.input().socketGroup() != null) {
            checkGroup(c.input().socketGroup());
        }
        if (c.log().file() != null) {
            Path log = Path.of(c.log().file()).toAbsolutePath();
            boolean ok = Files.exists(log) ? Files.isWritable(log)
                    : Files.isDirectory(log.getParent()) && Files.isWritable(log.getParent());
            if (!ok) {
                throw refused("logging.file", "this user (" + System.getProperty("user.name") + ") cannot "
                        + (Files.exists(log) ? "append to " + log : "create " + log + " (is its directory there?)"));
            }
        }
    }

    /** Where systemd keeps eveflow.socket and its drop-ins, in the order it reads them. */
    private static final String[] SOCKET_UNITS = {
        "usr/lib/systemd/system/eveflow.socket", "lib/systemd/system/eveflow.socket",
        "run/systemd/system/eveflow.socket", "etc/systemd/system/eveflow.socket",
    };

    /**
     * Whether the package's eveflow.socket (or the operator's override of it) listens on
     * {@code socket}: then systemd makes the directory and the socket, and run takes it over.
     */
    public static boolean heldBySystemd(Path socket) {
        return heldBySystemd(socket, Path.of("/"));
    }

    static boolean heldBySystemd(Path socket, Path root) {
        List<Path> files = new ArrayList<>();
        for (String unit : SOCKET_UNITS) {
            files.add(root.resolve(unit));
            Path dropIns = root.resolve(unit + ".d");
            if (Files.isDirectory(dropIns)) {
                try (var list = Files.list(dropIns)) {
                    list.filter(f -> f.toString().endsWith(".conf")).sorted().forEach(files::add);
                } catch (IOException e) {
                    // an unreadable drop-in directory: judged by the units alone
                }
            }
        }
        boolean held = false;
        for (Path f : files) {
            try {
                for (String line : Files.readAllLines(f)) {
                    String l = line.strip();
                    if (l.equals("ListenStream=")) {
                        held = false; // an empty assignment resets the list
                    } else if (l.startsWith("ListenStream=") && Path.of(l.substring(13).strip()).equals(socket)) {
                        held = true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such unit, or unreadable: it does not hold the socket
            }
        }
        return held;
    }

    private static void checkInputSocket(Path socket) throws ConfigException {
        Path dir = socket.getParent();
        if (dir == null || !Files.exists(dir)) {
            throw refused("input.socket", "the directory " + dir + " does not exist; create it or choose another path");
        }
        if (!Files.isDirectory(dir)) {
            throw refused("input.socket", dir + " is not a directory");
        }
        if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw refused("input.socket", "this user (" + System.getProperty("user.name") + ") may not create files in "
                    + dir);
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS) && !isSocket(socket)) {
            throw refused("input.socket", socket + " exists and is not a socket; eveflow never removes it");
        }
    }

    private static boolean isSocket(Path p) {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT) == S_IFSOCK;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether this user may give a file to {@code group} (root, or a member): tried on a file of its own. */
    private static void checkGroup(String group) throws ConfigException {
        Path probe = null;
        try {
            probe = Files.createTempFile("eveflow-group-check", "");
            GroupPrincipal g = probe.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(probe, PosixFileAttributeView.class).setGroup(g);
        } catch (IOException e) {
            throw refused("input.socket-group", "this user (" + System.getProperty("user.name") + ") cannot give the"
                    + " socket to group '" + group + "': eveflow must run as root or as a member of it");
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a temporary file of our own; the system's cleaning removes it
                }
            }
        }
    }

    private static ConfigException refused(String key, String problem) {
        return new ConfigException(key, problem, true);
    }
}

package org.eveflow.transport;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Messages that name the cause of an I/O failure the way an operator looks it up ({@code ENOENT},
 * {@code ECONNREFUSED}, {@code EACCES}, not a socket, ...), whatever the JDK or Netty wrapped it in
 * (their messages may be null or only a path). Stateless.
 */
public final class Errors {
    /** What a message says (lowercased), and the words for it with its errno name; the first match wins. */
    private static final String[][] KNOWN = {
        {"no such file", "ENOENT: no such file or directory"},
        {"connection refused", "ECONNREFUSED: connection refused (nobody listens on it)"},
        {"permission denied", "EACCES: permission denied"},
        {"non-socket", "ENOTSOCK: not a socket"},
        {"not a socket", "ENOTSOCK: not a socket"},
        {"resource temporarily unavailable", "EAGAIN: the listener's queue is full"},
        {"connection reset", "ECONNRESET: connection reset by the peer"},
        {"broken pipe", "EPIPE: the peer closed the connection"},
        {"read-only file system", "EROFS: read-only file system"},
    };

    private Errors() {
    }

    /** The cause of {@code t} in words, with the errno name where one is known. */
    public static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        if (t instanceof NoSuchFileException) {
            return "ENOENT: no such file or directory";
        }
        if (t instanceof AccessDeniedException) {
            return "EACCES: permission denied";
        }
        String m = t.getMessage();
        if (m == null && t.getCause() != null && t.getCause() != t) {
            return describe(t.getCause());
        }
        String lower = m == null ? "" : m.toLowerCase(Locale.ROOT);
        for (String[] known : KNOWN) {
            if (lower.contains(known[0])) {
                return known[1];
            }
        }
        if (m == null) {
            return t.getClass().getSimpleName();
        }
        return t instanceof IOException && !(t instanceof FileSystemException) ? m
                : t.getClass().getSimpleName() + ": " + m;
    }

    /**
     * Why connecting to the Unix socket at {@code path} failed: the state of the path first (missing,
     * not a socket, its directory not searchable), then the exception's cause.
     */
    public static String describeConnect(Path path, Throwable t) {
        try {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                Path dir = path.getParent();
                return dir != null && !Files.isDirectory(dir) ? "ENOENT: directory " + dir + " does not exist"
                        : "ENOENT: no such socket (the reader is not running?)";
            }
            if (!Files.isDirectory(path) && !"socket".equals(kind(path))) {
                return "ENOTSOCK: " + path + " is " + kind(path) + ", not a socket";
            }
        } catch (IOException | SecurityException e) {
            return describe(t);
        }
        return describe(t);
    }

    private static String kind(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return switch (mode & 0170000) {
            case 0140000 -> "socket";
            case 0100000 -> "a regular file";
            case 0040000 -> "a directory";
            case 0120000 -> "a symbolic link";
            case 0010000 -> "a FIFO";
            default -> "a special file";
        };
    }
}

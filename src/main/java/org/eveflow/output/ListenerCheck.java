package org.eveflow.output;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Who listens on an output socket, asked of the kernel once a connection is made (SO_PEERCRED): a
 * socket in a shared directory such as /tmp can be bound first by another local user, and a symlink
 * can lead an output to eveflow's own input. The reader may be eveflow's own user, root, or a uid the
 * output lists in {@code listener-uids}. Before each connect and once connected, the output's path
 * is compared with the input socket as files (device and inode, symlinks followed), so no path leads
 * eveflow to feed itself (a path swapped back and forth between the two checks is not caught: that
 * needs write access to the output's directory, where the uid check still applies). The NIO transport has no peer credentials: only the file check runs there. Immutable.
 */
final class ListenerCheck {
    /** The effective uid of this process: the owner of its /proc entry. */
    private static final int OWN_UID = ownUid();

    private ListenerCheck() {
    }

    /** Why the listener at the other end of {@code ch} may not have the output's lines, or null if it may. */
    static String refusal(Channel ch, Set<Integer> listenerUids) {
        if (!(ch instanceof EpollDomainSocketChannel epoll)) {
            return null;
        }
        PeerCredentials peer;
        try {
            peer = epoll.peerCredentials();
        } catch (IOException e) {
            return "its listener's credentials cannot be read (" + e.getMessage() + ")";
        }
        int uid = peer.uid();
        if (uid == OWN_UID || uid == 0 || listenerUids.contains(uid)) {
            return null;
        }
        return "the listener (pid " + peer.pid() + ") runs as uid " + uid
                + ", which is not eveflow's own, root, or in listener-uids " + listenerUids;
    }

    /**
     * Why connecting to {@code output} would feed eveflow its own lines (it is the input socket's file,
     * by whatever path), or null; null also when either file cannot be read (the connect then fails
     * or reaches another file).
     */
    static String selfFeed(Path output, Path input) {
        if (input == null) {
            return null;
        }
        try {
            Object out = Files.readAttributes(output, BasicFileAttributes.class).fileKey();
            if (out != null && out.equals(Files.readAttributes(input, BasicFileAttributes.class).fileKey())) {
                return "it is eveflow's own input socket " + input + " (a symlink or hard link)";
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return 0; // no /proc: only root and listener-uids are taken for eveflow's own
        }
    }
}

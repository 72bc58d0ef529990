package org.eveflow.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One datagram with a file descriptor attached (sendmsg with SCM_RIGHTS) to systemd's notify socket:
 * how a service puts a descriptor into its file-descriptor store. JDK 17 and Netty's API can send a
 * datagram but not a descriptor with it, so libc's sendmsg is called through JNA, with the structures
 * laid out for 64-bit Linux (x86_64 and aarch64, the platforms whose JNA natives the jar keeps). A
 * socket of its own per call: a store happens a few times per restart. Stateless, thread-safe.
 */
final class FdPassing {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    /** sizeof(struct msghdr), and the offsets of its fields, on LP64 Linux. */
    private static final int MSGHDR = 56;
    /** struct cmsghdr: cmsg_len (8), cmsg_level (4), cmsg_type (4), then the data. */
    private static final int CMSG_HEADER = 16;
    /** CMSG_SPACE(sizeof(int)): the header and one descriptor, padded to 8 bytes. */
    private static final int CMSG_SPACE_ONE_FD = 24;
    /** sun_path's size in struct sockaddr_un. */
    private static final int SUN_PATH = 108;

    private FdPassing() {
    }

    /** Whether this platform has the layout above (64-bit pointers) and JNA a native library for it. */
    static boolean supported() {
        try {
            return Native.POINTER_SIZE == 8;
        } catch (LinkageError noNative) {
            return false;
        }
    }

    /**
     * Sends {@code message} with {@code fd} attached (none if negative) to the datagram socket at
     * {@code socketPath} (a leading '@' is Linux's abstract namespace, as systemd writes it in NOTIFY_SOCKET).
     */
    static void send(String socketPath, String message, int fd) throws IOException {
        byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path.length > 0 && path[0] == '@';
        if (path.length >= SUN_PATH) {
            throw new IOException("notify socket path too long: " + socketPath);
        }
        byte[] payload = message.getBytes(StandardCharsets.UTF_8);
        try (Memory addr = new Memory(2 + SUN_PATH);
             Memory data = new Memory(Math.max(1, payload.length));
             Memory iov = new Memory(16);
             Memory control = new Memory(CMSG_SPACE_ONE_FD);
             Memory msg = new Memory(MSGHDR)) {
            addr.clear();
            addr.setShort(0, (short) AF_UNIX);
            addr.write(2, path, 0, path.length);
            if (abstractName) {
                addr.setByte(2, (byte) 0);
            }
            int addrLen = 2 + path.length + (abstractName ? 0 : 1);
            data.write(0, payload, 0, payload.length);
            iov.setPointer(0, data);
            iov.setLong(8, payload.length);
            control.clear();
            control.setLong(0, CMSG_HEADER + 4); // CMSG_LEN(sizeof(int))
            control.setInt(8, SOL_SOCKET);
            control.setInt(12, SCM_RIGHTS);
            control.setInt(CMSG_HEADER, fd);
            msg.clear();
            msg.setPointer(0, addr);
            msg.setInt(8, addrLen);
            msg.setPointer(16, iov);
            msg.setLong(24, 1);
            msg.setPointer(32, fd < 0 ? null : control);
            msg.setLong(40, fd < 0 ? 0 : CMSG_SPACE_ONE_FD);
            LibC c = LibC.get();
            int sock = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            try {
                long sent = c.sendmsg(sock, msg, 0);
                if (sent != payload.length) {
                    throw new IOException("sendmsg to " + socketPath + " sent " + sent + " of " + payload.length + " bytes");
                }
            } finally {
                c.close(sock);
            }
        } catch (LastErrorException e) {
            throw new IOException("sendmsg to " + socketPath + ": errno " + e.getErrorCode() + " (" + e.getMessage() + ")", e);
        } catch (LinkageError e) { // no JNA native for this platform (LibC.get)
            throw new IOException("libc's sendmsg cannot be called here (JNA: " + e.getMessage() + ")", e);
        }
    }
}

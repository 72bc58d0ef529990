package org.eveflow.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls eveflow makes through JNA, for what JDK 17 and Netty cannot do: send a descriptor
 * with a datagram ({@link FdPassing}) and read a descriptor it only knows by number ({@link EarlyReader}).
 * errno comes back in a LastErrorException. Loaded once, on first use; thread-safe.
 */
interface LibC extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    long sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    int close(int fd);

    /** libc, loaded on first use (a LinkageError where JNA has no native library for the platform). */
    static LibC get() {
        return Holder.LIBC;
    }

    /** Loads libc when {@link #get} is first called, once. */
    final class Holder {
        private static final LibC LIBC = Native.load("c", LibC.class);

        private Holder() {
        }
    }
}

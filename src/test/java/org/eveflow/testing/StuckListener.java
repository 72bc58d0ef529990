package org.eveflow.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener on a Unix socket path that never accepts and whose accept queue is full, as a stopped
 * (SIGSTOP) or hung process leaves it: a blocking connect to it would wait forever.
 */
public final class StuckListener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<SocketChannel> queued = new ArrayList<>();

    public StuckListener(Path path) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path), 1);
        for (int i = 0; i < 16; i++) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            c.configureBlocking(false);
            queued.add(c);
            try {
                c.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException full) {
                return; // the queue is full
            }
        }
        throw new IllegalStateException("the accept queue of " + path + " did not fill up");
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel c : queued) {
            c.close();
        }
        server.close();
    }
}

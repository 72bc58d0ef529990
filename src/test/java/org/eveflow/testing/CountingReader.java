package org.eveflow.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live bench's floor: a reader that only counts lines (newline bytes) on a Unix socket, one
 * thread per connection reading 256 KiB at a time, and on SIGTERM writes the count to a file.
 * Usage: {@code CountingReader SOCKET COUNT_FILE}.
 */
public final class CountingReader {
    private CountingReader() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path countFile = Path.of(args[1]);
        AtomicLong lines = new AtomicLong();
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(countFile, lines.get() + "\n");
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                e.printStackTrace();
            }
        }));
        while (true) {
            SocketChannel c = server.accept();
            Thread t = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
                try (c) {
                    while (c.read(buf) >= 0) {
                        buf.flip();
                        long n = 0;
                        while (buf.hasRemaining()) {
                            if (buf.get() == '\n') {
                                n++;
                            }
                        }
                        lines.addAndGet(n);
                        buf.clear();
                    }
                } catch (IOException e) {
                    // the writer went away
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }
}

package org.eveflow.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live bench's floor and its output sink: a reader that only counts lines (newline bytes) on a
 * Unix socket, one thread per connection reading 256 KiB at a time, optionally appending what it
 * reads to a file; prints "accepted" per connection and on SIGTERM writes the count to a file.
 * Usage: {@code CountingReader SOCKET COUNT_FILE [COPY_FILE]}.
 */
public final class CountingReader {
    private CountingReader() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        Path countFile = Path.of(args[1]);
        FileChannel copy = args.length > 2 ? FileChannel.open(Path.of(args[2]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING) : null;
        AtomicLong lines = new AtomicLong();
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(countFile, lines.get() + "\n");
                Files.deleteIfExists(socket);
                if (copy != null) {
                    copy.force(false);
                }
            } catch (IOException e) {
                e.printStackTrace();
            }
        }));
        while (true) {
            SocketChannel c = server.accept();
            System.out.println("accepted");
            Thread t = new Thread(() -> {
                // a heap buffer scanned as an array: ByteBuffer.get(i) on a direct buffer costs ~2 ns a byte,
                // which would make this floor a reader that spends a microsecond per record counting
                ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
                byte[] bytes = buf.array();
                try (c) {
                    while (c.read(buf) >= 0) {
                        buf.flip();
                        long n = 0;
                        for (int i = 0, end = buf.limit(); i < end; i++) {
                            if (bytes[i] == '\n') {
                                n++;
                            }
                        }
                        if (copy != null) {
                            synchronized (copy) {
                                while (buf.hasRemaining()) {
                                    copy.write(buf);
                                }
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

package org.eveflow.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A downstream reader on a real Unix socket (what Logstash or Vector would be): accepts connections
 * and collects every complete line, byte-exact, in arrival order. Bytes after the last newline of a
 * connection are kept as a fragment. Thread-safe.
 */
public final class LineSink implements AutoCloseable {
    private final Path path;
    private final ServerSocketChannel server;
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<byte[]> fragments = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closed;
    private volatile boolean paused;
    private volatile long pauseMillisPerRead;

    public LineSink(Path path) throws IOException {
        this.path = path;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        acceptor = new Thread(this::acceptLoop, "line-sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel c = server.accept();
                connections.add(c);
                accepted.incrementAndGet();
                Thread t = new Thread(() -> readLoop(c), "line-sink-read");
                t.setDaemon(true);
                t.start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException(e);
                }
                return;
            }
        }
    }

    private void readLoop(SocketChannel c) {
        ByteBuffer buf = ByteBuffer.allocate(pauseMillisPerRead > 0 ? 8 * 1024 : 256 * 1024);
        java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        try {
            while (true) {
                while (paused && !closed && c.isOpen()) {
                    Thread.sleep(5); // a reader that stopped reading (test helper, not a timing assertion)
                }
                if (paused && closed) {
                    break; // a stalled reader that is killed reads nothing more: the kernel's bytes are lost
                }
                if (pauseMillisPerRead > 0) {
                    Thread.sleep(pauseMillisPerRead); // a slow reader
                }
                if (c.read(buf) < 0) {
                    break;
                }
                buf.flip();
                int start = buf.position();
                for (int i = buf.position(); i < buf.limit(); i++) {
                    if (buf.get(i) == '\n') {
                        partial.write(buf.array(), start, i - start);
                        lines.add(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                        start = i + 1;
                    }
                }
                partial.write(buf.array(), start, buf.limit() - start);
                buf.clear();
            }
        } catch (IOException e) {
            // connection closed by us (closeConnections) or the daemon
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (partial.size() > 0) {
                fragments.add(partial.toByteArray());
            }
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    public Path path() {
        return path;
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    public int lineCount() {
        return lines.size();
    }

    /** The last whole line received so far, or null. */
    public String lastLine() {
        synchronized (lines) {
            return lines.isEmpty() ? null : lines.get(lines.size() - 1);
        }
    }

    public List<byte[]> fragments() {
        return fragments;
    }

    public int accepted() {
        return accepted.get();
    }

    /** Stops reading without closing (a stalled reader): the sender's kernel buffer fills up. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    /** Reads at most {@code buf} (256 KiB) per {@code millis}: a reader slower than eveflow. */
    public void slowDown(long millis) {
        pauseMillisPerRead = millis;
    }

    /** Closes the accepted connections (a reader going away mid-stream); keeps listening. */
    public void closeConnections() throws IOException {
        for (SocketChannel c : connections) {
            c.close();
        }
        connections.clear();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        closeConnections();
        Files.deleteIfExists(path);
    }
}

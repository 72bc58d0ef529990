package org.eveflow.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A client that writes EVE lines into the input socket, as Suricata does (blocking writes). Not thread-safe. */
public final class EveWriter implements AutoCloseable {
    private final SocketChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(256 * 1024);

    public EveWriter(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
    }

    /** Appends a line and its '\n'. */
    public EveWriter line(String line) throws IOException {
        return raw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Appends bytes as they are. */
    public EveWriter raw(byte[] bytes) throws IOException {
        if (bytes.length > buf.remaining()) {
            flush();
        }
        if (bytes.length > buf.capacity()) {
            ByteBuffer big = ByteBuffer.wrap(bytes);
            while (big.hasRemaining()) {
                channel.write(big);
            }
            return this;
        }
        buf.put(bytes);
        return this;
    }

    public EveWriter flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        buf.clear();
        return this;
    }

    @Override
    public void close() throws IOException {
        flush();
        channel.close();
    }
}

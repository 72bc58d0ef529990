package org.eveflow.output;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.eveflow.config.Config;
import org.eveflow.counters.Counters;
import org.eveflow.counters.OutputCounters;
import org.eveflow.transport.UnixTransport;

/**
 * A real forwarder for one output, on an event loop of its own, with its counters; closing it drains
 * and closes the forwarder and stops the loop. Not started: call {@code forwarder.start()}.
 */
final class TestForwarder implements AutoCloseable {
    final OutputCounters counters;
    final SocketForwarder forwarder;
    private final EventLoopGroup group;

    TestForwarder(Config.Output config) {
        UnixTransport transport = UnixTransport.choose(Config.Transport.AUTO);
        group = transport.newGroup(1, "test-output");
        counters = new Counters().newOutput(config.name());
        forwarder = new SocketForwarder(config, transport, group, counters);
    }

    @Override
    public void close() throws InterruptedException {
        forwarder.drainAndClose(System.nanoTime());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}

package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * eveflow under systemd's protocols, with real parts: socket activation by
 * {@code systemd-socket-activate}, restarts under load on a socket held by a launcher (as systemd
 * holds it), sd_notify to a datagram socket, SIGHUP reload, and the unit files checked by
 * {@code systemd-analyze}.
 */
class SystemdIT {
    @TempDir
    Path dir;

    /** An inherited socket any local user may write to is warned about, as a bound one would be refused. */
    @Test
    void anInheritedSocketOpenToEveryUserIsWarnedAbout() throws Exception {
        Required.binary("/usr/bin/systemd-socket-activate", "systemd");
        Path in = dir.resolve("in.sock");
        try (DaemonProcess p = DaemonProcess.start(dir, List.of("systemd-socket-activate", "-l", in.toString()),
                Map.of(), List.of("-Xmx256m"), "run", "-i", in.toString(), "-o", "", "-f", "1h")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            // as a socket unit with SocketMode=0777 makes it (systemd-socket-activate has no such option)
            Files.setPosixFilePermissions(in, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            try (EveWriter w = new EveWriter(in)) { // the first connection makes it start eveflow
                w.line("{\"event_type\":\"alert\"}");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("has mode") || !p.isAlive());
            assertThat(p.output()).contains("the socket inherited from systemd, " + in + ", has mode rwxrwxrwx: "
                    + "every local user may connect and inject events");
        }
    }

    @Test
    void adoptsTheSocketFromSystemdSocketActivateAndNeverUnlinksIt() throws Exception {
        Required.binary("/usr/bin/systemd-socket-activate", "systemd");
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, List.of("systemd-socket-activate", "-l", in.toString()),
                     Map.of(), List.of("-Xmx256m"), "run", "-i", in.toString(), "-o", out.toString(), "-f", "1h",
                     "-t", "alert")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            FlowGen gen = new FlowGen(100, 3);
            try (EveWriter w = new EveWriter(in)) { // the first connection makes it start eveflow
                for (int i = 0; i < 5_000; i++) {
                    w.line(gen.next());
                }
                w.line("{\"event_type\":\"alert\",\"via\":\"socket activation\"}");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("inherited from systemd"));
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("lines_received=5001"));
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(p.output()).contains("listening on the socket inherited from systemd (fd 3");
            assertThat(in).as("the inherited socket file is left to its owner").exists();
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(gen.expected()));
            assertThat(sink.lines()).contains("{\"event_type\":\"alert\",\"via\":\"socket activation\"}");
        }
    }

    /** Writes like Suricata: one record per write; when a write fails, reconnect and send that record again. */
    private static final class SuricataLikeWriter implements AutoCloseable {
        private final Path socket;
        private SocketChannel ch;
        final AtomicLong resends = new AtomicLong();

        SuricataLikeWriter(Path socket) throws IOException {
            this.socket = socket;
            connect();
        }

        private void connect() throws IOException {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
        }

        void send(String line) throws IOException {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (true) {
                try {
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    return;
                } catch (IOException broken) {
                    if (b.position() != 0) {
                        throw new IOException("a record was cut: " + b.position() + " bytes sent", broken);
                    }
                    resends.incrementAndGet();
                    ch.close();
                    connect(); // the socket stays open in the launcher, so this succeeds at once
                }
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    @Test
    void restartsUnderLoadLoseNothingBecauseTheListeningSocketStaysOpen() throws Exception {
        Required.binary("/usr/bin/python3", "python3-minimal");
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path launcher = dir.resolve("socket-launcher.py");
        try (var res = SystemdIT.class.getResourceAsStream("/socket-launcher.py")) {
            Files.copy(res, launcher);
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/python3", launcher.toString(), in.toString(),
                DaemonProcess.javaCommand(), "-Xmx256m", "-jar", DaemonProcess.jar().toString(), "run",
                "-i", in.toString(), "-o", out.toString(), "-f", "1h", "-t", "alert"));
        Path log = dir.resolve("launcher.log");
        Process launch = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (LineSink sink = new LineSink(out); OutputStream control = launch.getOutputStream()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !launch.isAlive());
            FlowGen gen = new FlowGen(2_000, 9);
            int total = 300_000;
            int restarts = 0;
            try (SuricataLikeWriter w = new SuricataLikeWriter(in)) {
                for (int i = 0; i < total; i++) {
                    w.send(gen.next());
                    if (i == total / 3 || i == 2 * total / 3) {
                        control.write("restart\n".getBytes(StandardCharsets.US_ASCII));
                        control.flush();
                        restarts++;
                    }
                }
                int expectedExits = restarts;
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).split("exited 0", -1).length
                        - 1 == expectedExits);
                System.out.printf("zero-loss restart: %d restarts, %d records re-sent after a failed write%n",
                        restarts, w.resends.get());
            }
            control.write("stop\n".getBytes(StandardCharsets.US_ASCII));
            control.flush();
            assertThat(launch.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String launcherLog = Files.readString(log);
            assertThat(launcherLog.split("exited 0", -1).length - 1).as(launcherLog).isEqualTo(restarts + 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> Aggregates.sum(sink.lines()).equals(gen.expected()));
            assertThat(Aggregates.sum(sink.lines())).isEqualTo(gen.expected());
        } finally {
            launch.destroyForcibly();
        }
    }

    @Test
    void notifiesReadyStatusWatchdogReloadingAndStoppingAndReloadKeepsEveryLine() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path notifySocket = dir.resolve("notify.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        String config = "outputs:\n  default:\n    socket: " + out + "\n    types: [%s]\n"
                + "stats:\n  interval: 300ms\n";
        Files.writeString(cfg, String.format(config, "alert"));
        List<String> messages = new CopyOnWriteArrayList<>();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try (LineSink sink = new LineSink(out)) {
            Channel listener = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                            ByteBuf b = p.content();
                            messages.add(b.toString(StandardCharsets.UTF_8));
                        }
                    }).bind(new DomainSocketAddress(notifySocket.toString())).sync().channel();
            try (DaemonProcess p = DaemonProcess.start(dir, List.of(),
                    Map.of("NOTIFY_SOCKET", notifySocket.toString(), "WATCHDOG_USEC", "400000"),
                    List.of("-Xmx256m"), "run", "--config", cfg.toString(), "-i", in.toString(), "-f", "1h")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> messages.stream().anyMatch(m -> m.contains("READY=1")));
                await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream().anyMatch(m -> m.startsWith("STATUS="))
                        && messages.stream().filter(m -> m.equals("WATCHDOG=1")).count() >= 3);

                try (EveWriter w = new EveWriter(in)) {
                    for (int i = 0; i < 1000; i++) {
                        w.line("{\"event_type\":\"alert\",\"n\":" + i + "}");
                        w.line("{\"event_type\":\"dns\",\"n\":" + i + "}");
                    }
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.lineCount() == 1000);
                Files.writeString(cfg, String.format(config, "alert, dns"));
                p.signal("HUP");
                await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("configuration reloaded"));
                try (EveWriter w = new EveWriter(in)) {
                    for (int i = 1000; i < 2000; i++) {
                        w.line("{\"event_type\":\"alert\",\"n\":" + i + "}");
                        w.line("{\"event_type\":\"dns\",\"n\":" + i + "}");
                    }
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> sink.lineCount() == 3000);
                p.sigterm();
                assertThat(p.waitFor(60)).as(p.output()).isZero();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> messages.stream().anyMatch(m -> m.startsWith("STOPPING=1")));
            listener.close().sync();

            int ready = indexOf(messages, "READY=1");
            int status = indexOf(messages, "STATUS=");
            int watchdog = indexOf(messages, "WATCHDOG=1");
            int reloading = indexOf(messages, "RELOADING=1");
            int stopping = indexOf(messages, "STOPPING=1");
            assertThat(ready).as("%s", messages).isZero();
            assertThat(List.of(status, watchdog, reloading)).allMatch(i -> i > ready);
            int readyAgain = -1;
            for (int i = reloading + 1; i < messages.size() && readyAgain < 0; i++) {
                readyAgain = messages.get(i).startsWith("READY=1") ? i : -1;
            }
            assertThat(readyAgain).as("READY=1 after RELOADING=1: %s", messages).isPositive();
            assertThat(stopping).isGreaterThan(readyAgain);
            assertThat(messages.subList(stopping + 1, messages.size())).noneMatch(m -> m.equals("WATCHDOG=1"));

            List<String> lines = sink.lines();
            assertThat(lines).hasSize(3000);
            for (int i = 0; i < 2000; i++) {
                assertThat(lines).contains("{\"event_type\":\"alert\",\"n\":" + i + "}");
            }
            for (int i = 0; i < 2000; i++) {
                String dns = "{\"event_type\":\"dns\",\"n\":" + i + "}";
                assertThat(lines.contains(dns)).as(dns).isEqualTo(i >= 1000);
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static int indexOf(List<String> messages, String prefix) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** systemd-analyze verify runs on the installed units (DebianPackageIT): it checks that ExecStart's launcher exists. */
    @Test
    void unitFileHasALowExposure() throws Exception {
        Required.binary("/usr/bin/systemd-analyze", "systemd");
        Path units = Path.of("systemd");
        Process security = new ProcessBuilder("systemd-analyze", "security", "--offline=true",
                units.resolve("eveflow.service").toString()).redirectErrorStream(true).start();
        String securityOut = new String(security.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(security.waitFor(60, TimeUnit.SECONDS)).isTrue();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Overall exposure level for eveflow.service: ([0-9.]+)")
                .matcher(securityOut);
        assertThat(m.find()).as(securityOut).isTrue();
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security: exposure " + exposure);
        assertThat(exposure).as("docs/operations.md states 1.7").isLessThanOrEqualTo(2.0);
    }
}

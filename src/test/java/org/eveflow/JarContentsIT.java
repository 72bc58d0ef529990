package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.eveflow.testing.DaemonProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar holds what eveflow runs and not the rest of netty-all: the epoll library and JNA's
 * (sendmsg for systemd's fd store) for Linux x86_64 and aarch64, no other native library, no codec
 * eveflow does not use; and the daemon started from it runs on epoll.
 */
class JarContentsIT {
    /** The bound for the lean jar. */
    private static final long MAX_BYTES = 12L * 1000 * 1000;

    @TempDir
    Path dir;

    @Test
    void holdsTheLinuxEpollLibrariesAndNoOtherNativeCode() throws Exception {
        Path jar = DaemonProcess.jar();
        assertThat(Files.size(jar)).as("jar size").isLessThanOrEqualTo(MAX_BYTES);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> natives = zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".so") || n.endsWith(".jnilib") || n.endsWith(".dll")).sorted().toList();
            assertThat(natives).containsExactly("META-INF/native/libnetty_transport_native_epoll_aarch_64.so",
                    "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
                    "com/sun/jna/linux-aarch64/libjnidispatch.so", "com/sun/jna/linux-x86-64/libjnidispatch.so");
            List<String> names = zip.stream().map(ZipEntry::getName).toList();
            assertThat(names).contains("io/netty/channel/epoll/EpollServerDomainSocketChannel.class",
                    "io/netty/channel/socket/nio/NioServerDomainSocketChannel.class");
            assertThat(names).noneMatch(n -> n.startsWith("io/netty/handler/codec/")
                    || n.startsWith("io/netty/incubator/") || n.startsWith("io/netty/channel/kqueue/")
                    || n.startsWith("io/netty/channel/uring/") || n.startsWith("io/netty/resolver/dns/"));
        }
    }

    @Test
    void theDaemonStartsOnEpoll() throws Exception {
        Path in = dir.resolve("in.sock");
        try (DaemonProcess p = DaemonProcess.start(dir, "run", "-i", in.toString())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("eveflow started") || !p.isAlive());
            assertThat(p.output()).contains("eveflow started: transport epoll,");
            p.sigterm();
            assertThat(p.waitFor(30)).as(p.output()).isZero();
        }
    }
}

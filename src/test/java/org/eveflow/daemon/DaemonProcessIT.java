package org.eveflow.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a separate process: SIGTERM stop (invariant 5), exit codes, check-config, version. */
class DaemonProcessIT {
    @TempDir
    Path dir;

    @Test
    void sigtermDeliversEveryFlowThroughTheFinalFlushAndExitsZero() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        Path cfg = dir.resolve("eveflow.yaml");
        Files.writeString(cfg, "aggregate:\n  src-ports-per-key: 100000\n");
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.start(dir, "run", "--config", cfg.toString(), "-i", in.toString(),
                     "-o", out.toString(), "-f", "1h", "-t", "alert")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            assertThat(p.isAlive()).as(p.output()).isTrue();
            FlowGen closedConn = new FlowGen(1_000, 11);
            FlowGen openConn = new FlowGen(1_000, 12);
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 100_000; i++) {
                    w.line(closedConn.next());
                }
            }
            // This writer stays connected through the SIGTERM: what it already sent must still count.
            EveWriter open = new EveWriter(in);
            for (int i = 0; i < 50_000; i++) {
                open.line(openConn.next());
            }
            open.line("{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\",\"last\":true}");
            open.flush();
            p.sigterm();
            int code = p.waitFor(60);
            assertThat(code).as(p.output()).isZero();
            assertThat(in).doesNotExist();
            assertThat(p.output()).contains("SIGTERM received", "eveflow stopped")
                    .contains("lines_received=150001 lines_decoded=150001 lines_malformed=0 lines_oversized=0 flows_aggregated=150000 flows_refused=0");

            Map<FlowGen.Key, FlowGen.Sums> expected = FlowGen.merge(List.of(closedConn, openConn));
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(expected));
            assertThat(Aggregates.sum(sink.lines())).isEqualTo(expected);
            assertThat(sink.lines()).filteredOn(l -> !Aggregates.isAggregate(l)).containsExactly(
                    "{\"timestamp\":\"2026-11-28T10:00:00.000000+0000\",\"event_type\":\"alert\",\"last\":true}");
            try {
                open.close();
            } catch (java.io.IOException expectedBrokenPipe) {
                // the daemon is gone; Suricata would reconnect and re-send
            }
        }
    }

    @Test
    void liveSocketOfAnotherProcessExitsThreeAndIsLeftAlone() throws Exception {
        Path in = dir.resolve("in.sock");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(in));
            DaemonProcess.Result r = DaemonProcess.run(dir, "run", "-i", in.toString(), "-o",
                    dir.resolve("out.sock").toString());
            assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
            assertThat(r.output()).contains("in use by another process")
                    .doesNotContain("cannot connect"); // nothing else starts before the socket check
            assertThat(in).exists();
        }
    }

    @Test
    void aStoppedListenerOnThePathExitsThreeQuicklyAndSigtermWorksFromTheStart() throws Exception {
        Path in = dir.resolve("in.sock");
        try (org.eveflow.testing.StuckListener stuck = new org.eveflow.testing.StuckListener(in)) { // a stopped listener
            DaemonProcess.Result r = DaemonProcess.run(dir, "run", "-i", in.toString(), "-o", "");
            assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
            assertThat(r.output()).contains(in.toString(), "does not accept connections", "treated as in use");
            assertThat(in).exists();
        }
    }

    @Test
    void pathThatIsNotASocketExitsThreeAndIsLeftAlone() throws Exception {
        Path in = dir.resolve("in.sock");
        Files.writeString(in, "data");
        DaemonProcess.Result r = DaemonProcess.run(dir, "run", "-i", in.toString(), "-o", "");
        assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
        assertThat(r.output()).contains("not a socket");
        assertThat(Files.readString(in)).isEqualTo("data");
    }

    @Test
    void invalidConfigurationExitsTwoNamingTheKeyAndStartsNothing() throws Exception {
        Path in = dir.resolve("in.sock");
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "aggregate:\n  flushtime: 5 minutes\n");
        DaemonProcess.Result r = DaemonProcess.run(dir, "run", "--config", cfg.toString(), "-i", in.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("aggregate.flushtime", "invalid duration '5 minutes'");
        assertThat(in).doesNotExist();

        DaemonProcess.Result flag = DaemonProcess.run(dir, "run", "-i", in.toString(), "-f", "-1s");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.output()).contains("--flushtime");
        DaemonProcess.Result unknown = DaemonProcess.run(dir, "run", "--no-such-flag");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("--no-such-flag");
    }

    @Test
    void checkConfigValidatesOnly() throws Exception {
        Path cfg = dir.resolve("ok.yaml");
        Files.writeString(cfg, "input:\n  socket: " + dir.resolve("in.sock") + "\n");
        DaemonProcess.Result ok = DaemonProcess.run(dir, "check-config", "--config", cfg.toString());
        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("configuration OK");
        assertThat(dir.resolve("in.sock")).doesNotExist();

        DaemonProcess.Result shipped = DaemonProcess.run(dir, "check-config", "--config", "conf/eveflow.yaml");
        assertThat(shipped.exitCode()).as(shipped.output()).isZero();

        Files.writeString(cfg, "input:\n  sockett: /tmp/x.sock\n");
        DaemonProcess.Result bad = DaemonProcess.run(dir, "check-config", "--config", cfg.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("input.sockett: unknown key");

        DaemonProcess.Result missing = DaemonProcess.run(dir, "check-config", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("cannot read config file");
    }

    @Test
    void versionPrintsAndExitsZero() throws Exception {
        DaemonProcess.Result r = DaemonProcess.run(dir, "version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.output()).startsWith("eveflow ");
    }

    /**
     * Started under nohup, SIGHUP is ignored and the JVM leaves it so: a reload by SIGHUP would do
     * nothing, silently. The daemon says so at start; SIGTERM still stops it cleanly.
     */
    @Test
    void aSighupIgnoredByTheStarterIsNamedAtStart() throws Exception {
        Path in = dir.resolve("in.sock");
        try (DaemonProcess p = DaemonProcess.start(dir, List.of("nohup"), Map.of(), List.of("-Xmx256m"), "run",
                "-i", in.toString(), "-o", "", "-f", "1h")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            assertThat(p.output()).contains("SIGHUP is ignored by the process that started eveflow (nohup?)")
                    .doesNotContain("SIGTERM is ignored");
            p.sigterm();
            assertThat(p.waitFor(30)).isZero();
        }
    }
}

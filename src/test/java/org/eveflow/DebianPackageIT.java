package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eveflow.testing.Aggregates;
import org.eveflow.testing.DaemonProcess;
import org.eveflow.testing.EveWriter;
import org.eveflow.testing.FlowGen;
import org.eveflow.testing.LineSink;
import org.eveflow.testing.Required;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as an operator meets it: {@code target/eveflow_VERSION_all.deb} from
 * {@code mvn package}, checked by lintian, installed with dpkg on this machine, the installed
 * launcher run on the installed configuration (socket paths moved by flags only), its units verified,
 * then removed and purged. It installs system-wide, so it needs root and runs only where no eveflow
 * package is installed already; it purges what it installed, and removes the system user it made.
 */
class DebianPackageIT {
    /** Files the package installs (not the conffiles). */
    private static final List<String> PACKAGED = List.of("/usr/bin/eveflow", "/usr/share/eveflow/eveflow.jar",
            "/usr/share/eveflow/eveflow-dashboard.json",
            "/usr/lib/systemd/system/eveflow.service", "/usr/lib/systemd/system/eveflow.socket",
            "/usr/lib/sysusers.d/eveflow.conf", "/usr/share/man/man1/eveflow.1.gz",
            "/usr/share/man/man1/eveflow-run.1.gz", "/usr/share/doc/eveflow/copyright",
            "/usr/share/doc/eveflow/changelog.gz", "/usr/share/doc/eveflow/README.md");
    private static final List<String> CONFFILES = List.of("/etc/default/eveflow", "/etc/eveflow/eveflow.yaml",
            "/etc/sysctl.d/60-eveflow-suricata-socket.conf", "/etc/logrotate.d/eveflow");
    /** What deb-systemd-helper leaves when the package enables the units (systemd running or not). */
    private static final List<String> ENABLED = List.of("/etc/systemd/system/sockets.target.wants/eveflow.socket",
            "/etc/systemd/system/multi-user.target.wants/eveflow.service");

    private static boolean userBefore;

    @TempDir
    Path dir;

    @BeforeAll
    static void onlyAsRootWithoutAnInstalledEveflow() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(root, "installs a package: needs root");
        }
        assertThat(root).as("CI runs as root (the package is installed with dpkg)").isTrue();
        Required.binary("/usr/bin/dpkg", "dpkg");
        Required.binary("/usr/bin/lintian", "lintian");
        Required.binary("/usr/bin/systemd-analyze", "systemd");
        assertThat(packageState()).as("an eveflow package is installed already; this test would replace it")
                .isIn("", "not-installed");
        userBefore = run("getent", "passwd", "eveflow").exitCode() == 0;
    }

    @AfterAll
    static void purgeWhatWasInstalled() throws Exception {
        if (!List.of("", "not-installed").contains(packageState())) { // installed, config-files, half-...
            run("dpkg", "--purge", "eveflow");
        }
        if (!userBefore && run("getent", "passwd", "eveflow").exitCode() == 0) {
            run("deluser", "--system", "eveflow");
        }
    }

    /** dpkg's state of the eveflow package ("installed", "config-files", ...), or "" if dpkg does not know it. */
    private static String packageState() throws Exception {
        DaemonProcess.Result r = run("dpkg-query", "-W", "-f=${db:Status-Status}", "eveflow");
        return r.exitCode() == 0 ? r.output().strip() : "";
    }

    static Path deb() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            List<Path> debs = s.filter(p -> p.getFileName().toString().matches("eveflow_.+_all\\.deb")).toList();
            assertThat(debs).as("mvn package builds one target/eveflow_VERSION_all.deb").hasSize(1);
            return debs.get(0).toAbsolutePath();
        }
    }

    @Test
    void lintianReportsNoError() throws Exception {
        DaemonProcess.Result lintian = run("lintian", "--tag-display-limit", "0", deb().toString());
        System.out.println("lintian:\n" + lintian.output());
        assertThat(lintian.output().lines().filter(l -> l.startsWith("E: ")).toList()).as(lintian.output()).isEmpty();
        // the warnings kept, and why: docs/operations.md "The Debian package"
        assertThat(lintian.output().lines().filter(l -> l.startsWith("W: ")).map(DebianPackageIT::tag).toList())
                .as(lintian.output()).isSubsetOf(List.of());
    }

    private static String tag(String lintianLine) {
        String[] words = lintianLine.split(" ");
        return words.length > 2 ? words[2] : lintianLine;
    }

    @Test
    void installsRunsAndIsRemovedAndPurged() throws Exception {
        DaemonProcess.Result install = run("dpkg", "-i", deb().toString());
        assertThat(install.exitCode()).as(install.output()).isZero();

        for (String f : concat(PACKAGED, CONFFILES)) {
            assertThat(Path.of(f)).as(f).isRegularFile();
        }
        assertThat(Files.isExecutable(Path.of("/usr/bin/eveflow"))).isTrue();
        assertThat(run("dpkg-query", "-W", "-f=${Conffiles}", "eveflow").output())
                .contains(CONFFILES.toArray(String[]::new));
        assertThat(run("getent", "passwd", "eveflow").output()).contains(":/nonexistent:/usr/sbin/nologin");
        for (String link : ENABLED) {
            assertThat(Files.isSymbolicLink(Path.of(link))).as(link + " (enabled by postinst)").isTrue();
        }

        String version = run("/usr/bin/eveflow", "version").output();
        assertThat(version).startsWith("eveflow " + deb().getFileName().toString().split("_")[1] + " ");
        DaemonProcess.Result check = run("/usr/bin/eveflow", "check-config"); // the installed file, without --config
        assertThat(check.output()).contains("configuration OK: /etc/eveflow/eveflow.yaml");
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("/run/eveflow/eve.sock");

        DaemonProcess.Result verify = run("systemd-analyze", "verify", "/usr/lib/systemd/system/eveflow.socket",
                "/usr/lib/systemd/system/eveflow.service");
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).as("systemd-analyze verify warnings").isEmpty();

        carriesFlowsExactly();

        // an upgrade (here: the same package again) keeps an operator's edit of a conffile
        Path defaults = Path.of("/etc/default/eveflow");
        String edited = Files.readString(defaults) + "# an operator's edit\n";
        Files.writeString(defaults, edited);
        DaemonProcess.Result again = run("dpkg", "-i", deb().toString());
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(Files.readString(defaults)).isEqualTo(edited);

        DaemonProcess.Result remove = run("dpkg", "-r", "eveflow");
        assertThat(remove.exitCode()).as(remove.output()).isZero();
        for (String f : PACKAGED) {
            assertThat(Path.of(f)).as(f + " after dpkg -r").doesNotExist();
        }
        for (String f : CONFFILES) {
            assertThat(Path.of(f)).as(f + " (a conffile) after dpkg -r").isRegularFile();
        }

        DaemonProcess.Result purge = run("dpkg", "-P", "eveflow");
        assertThat(purge.exitCode()).as(purge.output()).isZero();
        for (String f : concat(CONFFILES, ENABLED, List.of("/etc/eveflow", "/var/cache/eveflow",
                "/usr/share/eveflow", "/usr/share/doc/eveflow"))) {
            assertThat(Files.exists(Path.of(f), java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(f + " after dpkg -P")
                    .isFalse();
        }
        assertThat(leftovers(Path.of("/etc/systemd/system"))).as("unit masks or links after dpkg -P").isEmpty();
        assertThat(leftovers(Path.of("/var/lib/systemd/deb-systemd-helper-enabled")))
                .as("deb-systemd-helper state after dpkg -P").isEmpty();
        assertThat(packageState()).isIn("", "not-installed");
    }

    /** The installed launcher on the installed config, sockets moved by flags: every flow arrives, summed exactly. */
    private void carriesFlowsExactly() throws Exception {
        Path in = dir.resolve("in.sock");
        Path out = dir.resolve("out.sock");
        FlowGen gen = new FlowGen(400, 31);
        try (LineSink sink = new LineSink(out);
             DaemonProcess p = DaemonProcess.command(dir, Map.of(), List.of("/usr/bin/eveflow", "run",
                     "--config", "/etc/eveflow/eveflow.yaml", "-i", in.toString(), "-o", out.toString()))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(in) || !p.isAlive());
            try (EveWriter w = new EveWriter(in)) {
                for (int i = 0; i < 12_000; i++) {
                    w.line(gen.next());
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("lines_received=12000")
                    || !p.isAlive());
            p.sigterm();
            assertThat(p.waitFor(60)).as(p.output()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> Aggregates.sum(sink.lines()).equals(gen.expected()));
            assertThat(p.output()).contains("eveflow started: transport epoll");
        }
    }

    private static List<String> leftovers(Path d) throws IOException {
        List<String> found = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return found;
        }
        try (Stream<Path> s = Files.walk(d)) {
            s.filter(p -> p.getFileName().toString().contains("eveflow")).forEach(p -> found.add(p.toString()));
        }
        return found;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static DaemonProcess.Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish: " + out);
        }
        return new DaemonProcess.Result(p.exitValue(), out);
    }
}

package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eveflow.config.FeverFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FEVER 1.3.7's run flags: a flag that switches on a feature eveflow lacks exits 2, every such flag
 * named in one message; a flag without effect (a feature set to off, or a tuning of one that is off)
 * is accepted and named in one note; values are never echoed.
 */
class FeverFlagsTest {
    record Case(List<String> args, String named) {
        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    record Outcome(int code, String out, String err) {
    }

    private static Outcome run(List<String> args) {
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args.toArray(String[]::new));
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
    }

    static List<Case> switchedOn() {
        return List.of(
                new Case(List.of("--db-enable"), "--db-enable (eveflow has no database output"),
                new Case(List.of("--db-enable=true"), "--db-enable"),
                new Case(List.of("--pdns-enable"), "--pdns-enable (eveflow has no passive DNS"),
                new Case(List.of("-n", "1m"), "--flowreport-interval (eveflow has no flow reports"),
                new Case(List.of("--flowreport-interval=30s"), "--flowreport-interval"),
                new Case(List.of("--metrics-enable"), "--metrics-enable (eveflow has no AMQP metrics"),
                new Case(List.of("--context-enable"), "--context-enable"),
                new Case(List.of("--flowextract-enable"), "--flowextract-enable"),
                new Case(List.of("--active-rdns"), "--active-rdns"),
                new Case(List.of("--heartbeat-enable"), "--heartbeat-enable"),
                new Case(List.of("-b", "/tmp/x.bloom"), "--bloom-file"),
                new Case(List.of("--ip-blacklist", "/tmp/ips"), "--ip-blacklist"),
                new Case(List.of("-r", "localhost:6379"), "--in-redis"));
    }

    static List<Case> withoutEffect() {
        return List.of(
                new Case(List.of("-n", "0"), "--flowreport-interval"), new Case(List.of("-n", "0s"), "--flowreport-interval"),
                new Case(List.of("--flowreport-interval=0"), "--flowreport-interval"),
                new Case(List.of("--db-enable=false"), "--db-enable"), new Case(List.of("-d", "events"), "--db-database"),
                new Case(List.of("-s", "localhost:5432"), "--db-host"), new Case(List.of("-m"), "--db-mongo"),
                new Case(List.of("--db-rotate", "1h"), "--db-rotate"), new Case(List.of("-u", "sensor"), "--db-user"),
                new Case(List.of("--db-maxtablesize", "5"), "--db-maxtablesize"),
                new Case(List.of("-c", "100"), "--chunksize"), new Case(List.of("--flushcount", "5"), "--flushcount"),
                new Case(List.of("--dummy"), "--dummy"), new Case(List.of("--profile", "/tmp/p"), "--profile"),
                new Case(List.of("--in-buffer-length", "10"), "--in-buffer-length"),
                new Case(List.of("--in-buffer-drop=false"), "--in-buffer-drop"),
                new Case(List.of("--pdns-submission-url", "amqp://x"), "--pdns-submission-url"),
                new Case(List.of("--flowreport-nocompress"), "--flowreport-nocompress"),
                new Case(List.of("--metrics-enable=false"), "--metrics-enable"),
                new Case(List.of("--active-rdns-private-only"), "--active-rdns-private-only"),
                new Case(List.of("--heartbeat-times", "00:01"), "--heartbeat-times"),
                new Case(List.of("-z"), "--bloom-zipped"), new Case(List.of("-b", ""), "--bloom-file"),
                new Case(List.of("--mgmt-socket", "/tmp/m.sock"), "--mgmt-socket"),
                new Case(List.of("--mgmt-host", "localhost:1234"), "--mgmt-host"),
                new Case(List.of("--in-redis-nopipe"), "--in-redis-nopipe"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("switchedOn")
    void aFeatureSwitchedOnExitsTwoNamingIt(Case c) {
        for (String command : List.of("check-config", "run")) {
            List<String> args = new ArrayList<>(List.of(command, "-o", ""));
            args.addAll(c.args());
            Outcome o = run(args);
            assertThat(o.code()).as(o.err()).isEqualTo(Main.EXIT_CONFIG);
            assertThat(o.err()).contains("FEVER features switched on that eveflow lacks").contains(c.named());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withoutEffect")
    void aFlagWithoutEffectIsAcceptedAndNamed(Case c) {
        List<String> args = new ArrayList<>(List.of("check-config", "-o", ""));
        args.addAll(c.args());
        Outcome o = run(args);
        assertThat(o.code()).as(o.err()).isEqualTo(Main.EXIT_OK);
        assertThat(o.out()).contains("note: FEVER flags accepted without effect in eveflow: " + c.named());
    }

    @Test
    void everyRefusalIsNamedInOneMessageAndNoValueIsEchoed() {
        Outcome o = run(List.of("check-config", "-o", "", "--db-enable", "-p", "s3cret-pass", "-n", "5m",
                "--pdns-enable", "-b", "/etc/iocs.bloom", "--dummy"));
        assertThat(o.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(o.err()).contains("--db-enable (", "--flowreport-interval (", "--pdns-enable (", "--bloom-file (")
                .doesNotContain("s3cret-pass").doesNotContain("/etc/iocs.bloom");
        assertThat(o.err().lines().filter(l -> l.contains("switched on")).count()).isEqualTo(1);
    }

    @Test
    void debiansStockArgumentsAreAccepted() {
        Outcome o = run(List.of("check-config", "-n", "0", "--logfile", "/tmp/eveflow-fever-test.log"));
        assertThat(o.code()).as(o.err()).isEqualTo(Main.EXIT_OK);
        assertThat(o.out()).contains("FEVER flags accepted without effect in eveflow: --flowreport-interval");
    }

    @Test
    void anEmptyTypeListForwardsNoRawType() {
        Outcome o = run(List.of("check-config", "-t", ""));
        assertThat(o.code()).as(o.err()).isEqualTo(Main.EXIT_OK);
        assertThat(o.out()).contains("output default: /tmp/suri-forward.sock forwards [] + aggregates");
    }

    @Test
    void aBooleanThatIsNotOneIsRefused() {
        Outcome o = run(List.of("check-config", "--dummy=maybe"));
        assertThat(o.code()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(o.err()).contains("--dummy: 'maybe' is not a boolean");
    }

    @Test
    void theTableCoversEveryFeverFlagWithoutAnEveflowOption() {
        // 48 flags of FEVER 1.3.7's `run --help` (and its global --mgmt-*) have no eveflow option
        assertThat(FeverFlags.FLAGS).hasSize(48);
    }

    /** eveflow's own boolean flags take Go's spellings, as FEVER (pflag) does; anything else is refused, exit 2. */
    @Test
    void ownBooleanFlagsTakeGosSpellings() {
        for (String on : List.of("-T", "-T=1", "-T=t", "--fwd-all-types=T", "--fwd-all-types=TRUE", "-T=True")) {
            Outcome o = run(List.of("check-config", on));
            assertThat(o.code()).as(on + ": " + o.err()).isZero();
            assertThat(o.out()).as(on).contains("forwards all types");
        }
        for (String off : List.of("-T=0", "-T=f", "--fwd-all-types=F", "-T=false", "-T=FALSE", "-T=False")) {
            Outcome o = run(List.of("check-config", off));
            assertThat(o.code()).as(off + ": " + o.err()).isZero();
            assertThat(o.out()).as(off).doesNotContain("forwards all types");
        }
        for (String ok : List.of("--verbose=t", "-v=0", "--logjson=1", "--logjson=F")) {
            assertThat(run(List.of("check-config", ok)).code()).as(ok).isZero();
        }
        Outcome bad = run(List.of("check-config", "--verbose=maybe"));
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("'maybe' is not a boolean (true, false, t, f, 1, 0)");
    }
}

package org.eveflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every FEVER run flag for a feature eveflow lacks exits 2 and names the feature (and the replacement). */
class FeverFlagsTest {
    record Case(List<String> args, String feature) {
        @Override
        public String toString() {
            return String.join(" ", args);
        }
    }

    static List<Case> unsupported() {
        return List.of(
                new Case(List.of("--db-enable"), "database"), new Case(List.of("-d", "events"), "database"),
                new Case(List.of("-s", "localhost:5432"), "database"), new Case(List.of("-m"), "database"),
                new Case(List.of("-p", "x"), "database"), new Case(List.of("--db-rotate", "1h"), "database"),
                new Case(List.of("-u", "sensor"), "database"), new Case(List.of("--db-maxtablesize", "5"), "database"),
                new Case(List.of("-c", "100"), "database"), new Case(List.of("--flushcount", "5"), "database"),
                new Case(List.of("--pdns-enable"), "passive DNS"),
                new Case(List.of("--pdns-submission-url", "amqp://x"), "passive DNS"),
                new Case(List.of("-n", "1m"), "flow reports"), new Case(List.of("--flowreport-nocompress"), "flow reports"),
                new Case(List.of("--metrics-enable"), "InfluxDB"), new Case(List.of("--dummy"), "InfluxDB"),
                new Case(List.of("--context-enable"), "flow context"),
                new Case(List.of("--flowextract-enable"), "flow extraction"),
                new Case(List.of("--active-rdns"), "rDNS"), new Case(List.of("--active-rdns-private-only"), "rDNS"),
                new Case(List.of("--heartbeat-enable"), "heartbeat"),
                new Case(List.of("--heartbeat-times", "00:01"), "heartbeat"),
                new Case(List.of("-b", "/tmp/x.bloom"), "Bloom"), new Case(List.of("-z"), "Bloom"),
                new Case(List.of("--ip-blacklist", "/tmp/ips"), "IP blacklist"),
                new Case(List.of("--mgmt-socket", "/tmp/m.sock"), "management server"),
                new Case(List.of("--mgmt-host", "localhost:1234"), "management server"),
                new Case(List.of("-r", "localhost"), "Redis"), new Case(List.of("--in-redis-nopipe"), "Redis"),
                new Case(List.of("--profile", "/tmp/p"), "StartFlightRecording"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void exitsTwoNamingTheFeature(Case c) {
        for (String command : List.of("check-config", "run")) {
            PrintStream saved = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code;
            try {
                List<String> args = new java.util.ArrayList<>(List.of(command));
                args.addAll(c.args());
                code = Main.execute(args.toArray(String[]::new));
            } finally {
                System.setErr(saved);
            }
            String msg = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(msg).isEqualTo(Main.EXIT_CONFIG);
            assertThat(msg).contains("not supported").contains(c.feature());
        }
    }
}

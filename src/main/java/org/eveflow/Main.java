package org.eveflow;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigException;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Durations;
import org.eveflow.config.Overrides;
import org.eveflow.daemon.Daemon;
import org.eveflow.daemon.Logging;
import org.eveflow.daemon.Signals;
import org.eveflow.daemon.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line: {@code run}, {@code check-config}, {@code version}. Flag names and defaults
 * follow FEVER's {@code run} command. Exit codes: 0 clean stop, 1 other failure, 2 invalid
 * configuration or flags, 3 input socket in use or not a socket.
 */
@Command(name = "eveflow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Aggregates Suricata EVE flow events and forwards selected event types.",
        subcommands = {Main.Run.class, Main.CheckConfig.class, Main.VersionCommand.class})
public final class Main implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_CONFIG = 2;
    public static final int EXIT_SOCKET = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("eveflow: " + ex.getMessage());
            err.println("(see 'eveflow " + ex.getCommandLine().getCommandName() + " --help')");
            return EXIT_CONFIG;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            c.getErr().println("eveflow: " + ex);
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_CONFIG;
    }

    /** The configuration flags shared by run and check-config (FEVER's names). */
    static final class ConfigOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
        Path config;

        @Option(names = {"-i", "--in-socket"}, paramLabel = "PATH",
                description = "input socket Suricata writes to (default: " + ConfigLoader.DEFAULT_IN_SOCKET + ")")
        String inSocket;

        @Option(names = {"-o", "--out-socket"}, paramLabel = "PATH",
                description = "output socket ('' = no output) (default: " + ConfigLoader.DEFAULT_OUT_SOCKET + ")")
        String outSocket;

        @Option(names = {"-f", "--flushtime"}, paramLabel = "DURATION",
                description = "aggregation flush interval, Go syntax: 500ms, 10s, 1m0s (default: 1m)")
        String flushtime;

        @Option(names = {"-t", "--fwd-event-types"}, paramLabel = "TYPES", split = ",",
                description = "event types forwarded raw (default: alert,stats)")
        List<String> fwdEventTypes;

        @Option(names = {"-T", "--fwd-all-types"},
                description = "forward every event type raw (flow events are still aggregated)")
        Boolean fwdAllTypes;

        @Option(names = {"-v", "--verbose"}, description = "debug logging")
        Boolean verbose;

        @Option(names = "--reconnect-retries", paramLabel = "N",
                description = "failed connection attempts in a row before an output is disabled; 0 = retry forever "
                        + "(default: 0)")
        Integer reconnectRetries;

        @Option(names = "--stats-interval", paramLabel = "DURATION",
                description = "how often counters are reported (default: 10s)")
        String statsInterval;

        @Option(names = "--influx-url", paramLabel = "URL",
                description = "InfluxDB URL for the counters; the rest of stats.influx comes from the config file "
                        + "('' = log only)")
        String influxUrl;

        @Option(names = "--logfile", paramLabel = "PATH", description = "log to this file instead of stderr (FEVER's flag)")
        String logFile;

        @Option(names = "--logjson", description = "log one JSON object per line (FEVER's flag)")
        Boolean logJson;

        @Option(names = "--toolname", paramLabel = "NAME",
                description = "measurement name of the stats (FEVER's flag; default: eveflow)")
        String toolname;

        @Option(names = "--in-buffer-length", paramLabel = "N", hidden = true,
                description = "FEVER's input queue length: accepted, no meaning (eveflow keeps no input queue)")
        Long inBufferLength;

        @Option(names = "--in-buffer-drop", arity = "0..1", paramLabel = "BOOL", hidden = true,
                description = "FEVER's input dropping: accepted, no meaning (eveflow never drops input)")
        Boolean inBufferDrop;

        @Mixin
        FeverOnlyFlags feverOnly = new FeverOnlyFlags();

        Config load() throws ConfigException {
            feverOnly.refuseAny();
            return ConfigLoader.load(config, new Overrides(inSocket, outSocket, flushtime, fwdEventTypes,
                    fwdAllTypes, verbose, reconnectRetries, statsInterval, influxUrl, logFile, logJson, toolname));
        }

        /** Notes for FEVER flags that are accepted but mean nothing here. */
        void noteIgnoredFeverFlags(Logger log) {
            if (inBufferLength != null) {
                log.info("--in-buffer-length {}: no meaning in eveflow (no input queue; a slow eveflow slows the "
                        + "socket instead of dropping)", inBufferLength);
            }
            if (inBufferDrop != null) {
                log.info("--in-buffer-drop={}: no meaning in eveflow (it never drops input)", inBufferDrop);
            }
        }
    }

    /**
     * FEVER's flags for features eveflow does not have. They are parsed (so the message can name the
     * feature instead of "unknown option") and refused: exit 2, with eveflow's replacement if any.
     */
    static final class FeverOnlyFlags {
        @Option(names = {"--db-enable", "-m", "--db-mongo"}, hidden = true)
        boolean dbSwitches;
        @Option(names = {"-d", "--db-database", "-s", "--db-host", "-p", "--db-password", "--db-rotate", "-u",
            "--db-user", "--db-maxtablesize", "-c", "--chunksize", "--flushcount"}, hidden = true)
        String dbValues;
        @Option(names = {"--pdns-enable"}, hidden = true)
        boolean pdnsSwitch;
        @Option(names = {"--pdns-submission-exchange", "--pdns-submission-url"}, hidden = true)
        String pdnsValues;
        @Option(names = {"-n", "--flowreport-interval", "--flowreport-submission-exchange",
            "--flowreport-submission-url"}, hidden = true)
        String flowreportValues;
        @Option(names = {"--flowreport-nocompress"}, hidden = true)
        boolean flowreportSwitch;
        @Option(names = {"--metrics-enable"}, hidden = true)
        boolean metricsSwitch;
        @Option(names = {"--metrics-submission-exchange", "--metrics-submission-url"}, hidden = true)
        String metricsValues;
        @Option(names = {"--context-enable"}, hidden = true)
        boolean contextSwitch;
        @Option(names = {"--context-cache-timeout", "--context-submission-exchange", "--context-submission-url"},
                hidden = true)
        String contextValues;
        @Option(names = {"--flowextract-enable"}, hidden = true)
        boolean flowextractSwitch;
        @Option(names = {"--flowextract-bloom-selector", "--flowextract-submission-exchange",
            "--flowextract-submission-url"}, hidden = true)
        String flowextractValues;
        @Option(names = {"--active-rdns", "--active-rdns-private-only"}, hidden = true)
        boolean rdnsSwitch;
        @Option(names = {"--active-rdns-cache-expiry"}, hidden = true)
        String rdnsValues;
        @Option(names = {"--heartbeat-enable"}, hidden = true)
        boolean heartbeatSwitch;
        @Option(names = {"--heartbeat-times"}, hidden = true)
        String heartbeatValues;
        @Option(names = {"-z", "--bloom-zipped"}, hidden = true)
        boolean bloomSwitch;
        @Option(names = {"-b", "--bloom-file", "--bloom-alert-prefix", "--bloom-blacklist-iocs"}, hidden = true)
        String bloomValues;
        @Option(names = {"--ip-blacklist", "--ip-alert-prefix"}, hidden = true)
        String ipValues;
        @Option(names = {"--mgmt-host", "--mgmt-network", "--mgmt-socket"}, hidden = true)
        String mgmtValues;
        @Option(names = {"-r", "--in-redis"}, hidden = true)
        String redisValues;
        @Option(names = {"--in-redis-nopipe"}, hidden = true)
        boolean redisSwitch;
        @Option(names = {"--profile"}, hidden = true)
        String profileValues;
        @Option(names = {"--dummy"}, hidden = true)
        boolean dummySwitch;

        /** Throws for the first FEVER-only flag given, naming its feature and eveflow's replacement. */
        void refuseAny() throws ConfigException {
            refuse(dbSwitches || dbValues != null, "--db-*/--chunksize/--flushcount", "database");
            refuse(pdnsSwitch || pdnsValues != null, "--pdns-*", "pdns");
            refuse(flowreportSwitch || flowreportValues != null, "-n/--flowreport-*", "flowreport");
            refuse(metricsSwitch || metricsValues != null || dummySwitch, "--metrics-*/--dummy", "metrics");
            refuse(contextSwitch || contextValues != null, "--context-*", "context");
            refuse(flowextractSwitch || flowextractValues != null, "--flowextract-*", "flowextract");
            refuse(rdnsSwitch || rdnsValues != null, "--active-rdns*", "active");
            refuse(heartbeatSwitch || heartbeatValues != null, "--heartbeat-*", "heartbeat");
            refuse(bloomSwitch || bloomValues != null, "-b/-z/--bloom-*", "bloom");
            refuse(ipValues != null, "--ip-*", "ip");
            refuse(mgmtValues != null, "--mgmt-*", "mgmt");
            refuse(redisSwitch || redisValues != null, "-r/--in-redis*", "redis");
            refuse(profileValues != null, "--profile", "profile");
        }

        private static void refuse(boolean given, String flags, String section) throws ConfigException {
            if (given) {
                throw new ConfigException("FEVER's " + flags + " flags are not supported: "
                        + org.eveflow.config.FeverFeatures.BY_SECTION.get(section).explain());
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the daemon until SIGTERM/SIGINT.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            Config config;
            try {
                config = options.load();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("eveflow: invalid configuration: " + e.getMessage());
                return EXIT_CONFIG;
            }
            Logging.configureOutput(config.log().file(), config.log().json());
            Logging.bridgeJul();
            Logging.setLevel(config.logLevel());
            Logger log = LoggerFactory.getLogger(Main.class);
            options.noteIgnoredFeverFlags(log);
            config.notes().forEach(n -> log.info("{}", n));
            Signals signals = new Signals().install();
            Daemon daemon;
            try {
                daemon = Daemon.start(config);
            } catch (StartupException e) {
                log.error("cannot start: {}", e.getMessage());
                spec.commandLine().getErr().println("eveflow: " + e.getMessage());
                return e.exitCode();
            }
            String signal;
            while ((signal = signals.await()).equals("SIGHUP")) {
                log.info("SIGHUP received: reloading the configuration");
                try {
                    daemon.reload(options.load());
                } catch (ConfigException e) {
                    daemon.reloadFailed(e.getMessage());
                }
            }
            log.info("{} received", signal);
            daemon.stop();
            return EXIT_OK;
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true,
            description = "Validate the configuration and flags; exit 0 if valid, 2 if not.")
    static final class CheckConfig implements Callable<Integer> {
        @Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                Config c = options.load();
                PrintWriter out = spec.commandLine().getOut();
                out.println("configuration OK");
                c.notes().forEach(n -> out.println("  note: " + n));
                out.println("  input: " + c.input().socket() + " (mode " + Integer.toOctalString(c.input().socketMode())
                        + ", max line " + c.input().maxLineLength() + " bytes, max connections "
                        + c.input().maxConnections() + ")");
                out.println("  flushtime: " + Durations.format(c.aggregate().flushtime()) + ", max keys "
                        + c.aggregate().maxKeys());
                for (Config.Output o : c.outputs()) {
                    out.println("  output " + o.name() + ": " + o.socket() + " forwards "
                            + (o.all() ? "all types" : o.types()) + (o.aggregates() ? " + aggregates" : ""));
                }
                if (c.outputs().isEmpty()) {
                    out.println("  no outputs");
                }
                Config.Influx influx = c.stats().influx();
                out.println("  stats every " + Durations.format(c.stats().interval()) + " to "
                        + (influx == null ? "the log" : "InfluxDB " + influx.describe() + ", measurement "
                        + c.stats().measurement()));
                out.flush();
                return EXIT_OK;
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("eveflow: invalid configuration: " + e.getMessage());
                return EXIT_CONFIG;
            }
        }
    }

    @Command(name = "version", description = "Print the version.")
    static final class VersionCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            for (String line : new Version().getVersion()) {
                spec.commandLine().getOut().println(line);
            }
            spec.commandLine().getOut().flush();
            return EXIT_OK;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"eveflow " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}

package org.eveflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eveflow.config.Config;
import org.eveflow.config.ConfigException;
import org.eveflow.config.ConfigLoader;
import org.eveflow.config.Durations;
import org.eveflow.config.FeverFlags;
import org.eveflow.config.Flag;
import org.eveflow.config.HostChecks;
import org.eveflow.config.Key;
import org.eveflow.config.Keys;
import org.eveflow.config.Overrides;
import org.eveflow.config.Secret;
import org.eveflow.daemon.Daemon;
import org.eveflow.daemon.EarlyReader;
import org.eveflow.daemon.JvmFit;
import org.eveflow.daemon.Signals;
import org.eveflow.daemon.StartupException;
import org.eveflow.log.Fatal;
import org.eveflow.log.Logging;
import org.eveflow.stats.PrometheusEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The command line: {@code run}, {@code check-config}, {@code version}. Flag names and defaults
 * follow FEVER's {@code run} command. Exit codes: 0 clean stop, 1 other failure, 2 invalid
 * configuration or flags, 3 input socket in use or not a socket.
 */
@Command(name = "eveflow", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Aggregates Suricata EVE flow events and forwards selected event types.",
        subcommands = {Main.Run.class, Main.CheckConfig.class, Main.VersionCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:clean stop", "1:any other failure (a spent reconnect budget, out of heap, ...)",
            "2:invalid configuration or flags", "3:the input socket is in use by another process or is not a socket"},
        footerHeading = "%nFiles:%n",
        footer = {"/etc/eveflow/eveflow.yaml (every key with its default), /etc/default/eveflow (JVM options of"
            + " the launcher /usr/bin/eveflow), /usr/share/doc/eveflow/ (README.md and docs/: operations, metrics,"
            + " input and output, migrating from FEVER).",
            "", "See also: eveflow-run(1), eveflow-check-config(1), eveflow-version(1) for each command's flags."})
public final class Main implements Callable<Integer> {
    /** The system property through which the package's launcher names the installed configuration file. */
    static final String INSTALLED_CONFIG = "eveflow.installed-config";
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_CONFIG = 2;
    public static final int EXIT_SOCKET = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("run")) {
            Signals.installed(); // first: from here on SIGTERM, SIGINT and SIGHUP are queued, not the JVM's exit
            // connections a restart handed over: Suricata goes on writing into them while the daemon starts
            EarlyReader.startIfHandedOver(System.getenv());
        }
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (String sub : List.of("run", "check-config")) {
            FeverFlags.addTo(cl.getSubcommands().get(sub).getCommandSpec());
        }
        cl.setOverwrittenOptionsAllowed(true); // pflag: a flag given twice takes the last value
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("eveflow: " + ex.getMessage());
            err.println("(see 'eveflow " + ex.getCommandLine().getCommandName() + " --help')");
            return EXIT_CONFIG;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            c.getErr().println("eveflow: " + Secret.redactText(ex.toString()));
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_CONFIG;
    }

    /** A boolean flag's value as FEVER (Go's pflag) takes it: {@code -v}, {@code -v=t}, {@code --logjson=0}, ... */
    static final class GoBoolean implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            try {
                return FeverFlags.goBool("flag", value);
            } catch (ConfigException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a boolean (true, false, t, f, 1, 0)");
            }
        }
    }

    /** The configuration flags shared by run and check-config (FEVER's names). */
    static final class ConfigOptions {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: the "
                + "installed /etc/eveflow/eveflow.yaml where the package's launcher runs eveflow and it exists, else none)")
        Path config;

        /**
         * The file to read: --config, else the installed configuration when the package's launcher names
         * it ({@value #INSTALLED_CONFIG}) and it exists, else none (the built-in defaults).
         */
        Path file() {
            if (config != null) {
                return config;
            }
            String installed = System.getProperty(INSTALLED_CONFIG);
            return installed != null && !installed.isEmpty() && Files.exists(Path.of(installed)) ? Path.of(installed) : null;
        }

        /** The command this mixin is part of: its FEVER-only options are added by {@link FeverFlags#addTo}. */
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec command;

        /** The FEVER-only flags given, sorted; set by {@link #load}. */
        FeverFlags.Result feverFlags = new FeverFlags.Result(List.of(), List.of());

        Config load() throws ConfigException {
            return load(false, Daemon::check);
        }

        /**
         * Loads the configuration, checked by {@code components} as well; for a {@code reload} (SIGHUP)
         * an empty file is refused.
         */
        Config load(boolean reload, ConfigLoader.Check components) throws ConfigException {
            CommandLine.ParseResult given = command.commandLine().getParseResult();
            feverFlags = FeverFlags.classify(FeverFlags.given(given));
            if (feverFlags.refusal() != null) {
                throw new ConfigException(feverFlags.refusal());
            }
            Overrides flags = Overrides.none();
            for (Key<?> k : Keys.flagged()) {
                Object value = given.matchedOptionValue(k.flag().longName(), null);
                if (value instanceof List<?> list) { // -t '' is the empty list (pflag)
                    value = list.stream().map(String::valueOf).filter(t -> !t.isEmpty()).toList();
                }
                flags = flags.with(k.flag().longName(), value);
            }
            return ConfigLoader.load(file(), flags, reload, components);
        }
    }

    /**
     * Adds a flag for each key declared with one ({@link Keys#flagged}), its help with the key's
     * default, to run and check-config (picocli calls it while building each command's model, so the
     * man pages show them too).
     */
    static final class KeyFlags implements CommandLine.IModelTransformer {
        @Override
        public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
            for (Key<?> k : Keys.flagged()) {
                Flag f = k.flag();
                CommandLine.Model.OptionSpec.Builder b = CommandLine.Model.OptionSpec
                        .builder(f.names().toArray(String[]::new)).description(f.helpWithDefault(k));
                switch (f.value()) {
                    case TEXT -> b.type(String.class).paramLabel(f.label());
                    case LIST -> b.type(List.class).auxiliaryTypes(String.class).splitRegex(",").paramLabel(f.label());
                    case BOOLEAN -> b.type(Boolean.class).arity("0..1").fallbackValue("true")
                            .converters(new GoBoolean());
                    case NUMBER -> b.type(Integer.class).paramLabel(f.label());
                    default -> throw new IllegalStateException(f.value().name());
                }
                spec.addOption(b.build());
            }
            return spec;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            modelTransformer = KeyFlags.class, description = "Run the daemon until SIGTERM/SIGINT.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            // an Error or an exception that ends any thread ends the daemon with exit 1, whatever the JVM flags
            Fatal.handleUncaught();
            // a SIGTERM while starting is queued and ends the daemon once start returns (start is bounded:
            // the stale-socket probe gives up after a second), never the JVM's default exit 143; main()
            // installed the handlers before anything else ran
            Signals signals = Signals.installed();
            Config config;
            try {
                config = options.load();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("eveflow: invalid configuration: " + e.getMessage());
                return EXIT_CONFIG;
            }
            try {
                Logging.configureOutput(config.log().file(), config.log().json());
            } catch (IOException e) {
                spec.commandLine().getErr().println("eveflow: invalid configuration: logging.file: " + e.getMessage());
                return EXIT_CONFIG;
            }
            Logging.bridgeJul();
            Logging.setLevel(config.logLevel());
            Logger log = LoggerFactory.getLogger(Main.class);
            if (options.feverFlags.note() != null) {
                log.info("{}", options.feverFlags.note());
            }
            config.notes().forEach(n -> log.info("{}", n));
            if (!signals.ignored().isEmpty()) { // nohup: a reload (or stop) by that signal would do nothing
                log.warn("{} ignored by the process that started eveflow (nohup?): the JVM leaves it ignored, so it"
                        + " will not reload or stop eveflow; start eveflow without nohup (systemd does not ignore"
                        + " it)", String.join(" and ", signals.ignored()) + (signals.ignored().size() > 1 ? " are" : " is"));
            }
            Daemon daemon;
            try {
                daemon = Daemon.start(config, () -> signals.post(Signals.OUTPUT_FAILED));
            } catch (StartupException e) {
                log.error(Fatal.MARKER, "cannot start: {}", e.getMessage()); // FEVER: level fatal
                spec.commandLine().getErr().println("eveflow: " + e.getMessage());
                return e.exitCode();
            }
            String signal;
            while ((signal = signals.await()).equals("SIGHUP")) {
                try {
                    Logging.reopen(); // logrotate's postrotate: the old file is closed, the new one opened
                } catch (IOException e) {
                    log.error("SIGHUP: cannot reopen the log file, logging on into the old one: {}", e.getMessage());
                }
                log.info("SIGHUP received: log file reopened (if any), reloading the configuration");
                try {
                    daemon.reload(options.load(true, Daemon::check));
                } catch (ConfigException e) {
                    daemon.reloadFailed(e.getMessage());
                } catch (RuntimeException e) { // a bug in loading: the running configuration stays
                    daemon.reloadFailed(Secret.redactText(String.valueOf(e.getMessage())));
                }
            }
            if (signal.equals(Signals.OUTPUT_FAILED)) {
                log.error("stopping with exit code 1: an output spent its reconnect budget (reconnect-retries; "
                        + "FEVER exits the same way, and systemd's Restart=on-failure starts eveflow again)");
                daemon.stop();
                return EXIT_FAILURE;
            }
            log.info("{} received", signal);
            daemon.stop();
            if (Logging.failures() > 0) { // the final counters may not be in the log: stderr (the journal) has them
                spec.commandLine().getErr().println("eveflow: stopped; the log could not be written "
                        + Logging.failures() + " times; final counters: " + daemon.counters().snapshot());
            }
            return EXIT_OK;
        }
    }

    @Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            modelTransformer = KeyFlags.class, description = {"Validate the configuration and flags, and check what run would refuse on this machine"
                + " (the input socket's directory, a file in the socket's place, the socket group, the log file)"
                + " without opening a socket.",
                "Exit 0 if run would start, 2 if the configuration is invalid (FILE:LINE:COLUMN: key: problem),"
                + " 1 if it is valid but this machine would refuse it."})
    static final class CheckConfig implements Callable<Integer> {
        @Mixin
        ConfigOptions options = new ConfigOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                Config loaded = options.load(false, config -> {
                    Daemon.check(config);
                    HostChecks.check(config); // what run would refuse on this machine
                });
                JvmFit fit = JvmFit.ofThisJvm(loaded); // as run fits it: max-keys auto, buffer-bytes
                Config c = fit.config();
                PrintWriter out = spec.commandLine().getOut();
                Path file = options.file();
                out.println("configuration OK" + (file == null ? " (built-in defaults, no file)" : ": " + file));
                if (options.feverFlags.note() != null) {
                    out.println("  note: " + options.feverFlags.note());
                }
                c.notes().forEach(n -> out.println("  note: " + n));
                fit.notes().forEach(n -> out.println("  note: " + n));
                fit.warnings().forEach(w -> out.println("  warning: " + w));
                out.println("  input: " + c.input().socket() + (HostChecks.heldBySystemd(c.input().socket())
                        ? " (held by systemd's eveflow.socket, whose settings apply)" : "")
                        + " (mode " + String.format("%04o", c.input().socketMode())
                        + (c.input().openToOtherUsers() ? ": ANY local user may connect (allow-other-users)" : "")
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
                        + c.stats().measurement() + (c.stats().feverFormat() ? " in FEVER's format" : "")
                        + (c.stats().suricataPoints() ? ", Suricata's stats records as measurement "
                        + c.stats().suricata().measurement() : "")));
                Config.Prometheus prometheus = c.stats().prometheus();
                out.println("  Prometheus endpoint: " + (prometheus == null ? "off"
                        : PrometheusEndpoint.hostAndPort(prometheus.listen())
                        + " (/metrics, /-/healthy, /-/ready; Suricata's series at most " + prometheus.maxSeries() + ")"));
                out.flush();
                return EXIT_OK;
            } catch (ConfigException e) {
                if (e.refusedByHost()) { // valid, but run would fail to start here: as run would, exit 1
                    spec.commandLine().getErr().println("eveflow: cannot start with this configuration here: "
                            + e.getMessage());
                    return EXIT_FAILURE;
                }
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

package org.eveflow.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * FEVER 1.3.7's {@code run} flags that eveflow has no counterpart for, each of one of two kinds
 * (flags with the same meaning in eveflow are ordinary options of {@code Main}): a flag that switches
 * a FEVER feature on when given a value that does so ({@code --db-enable}, {@code -n 30s}, {@code -b
 * FILE}, …), and a flag that has no effect on the flow path or only tunes a feature that is off
 * ({@code -n 0}, {@code --dummy}, {@code --db-host}, {@code -c}, {@code --mgmt-*}, …). {@link
 * #classify} sorts the flags a command line gave: the ones without effect are accepted and named once,
 * the ones that switch on a missing feature are refused, all of them in one message. {@link #addTo}
 * and {@link #given} are the picocli side: the flags parse as FEVER's pflag parses them, hidden from
 * the help. With {@link FeverDialect} (its file) and {@link FeverFeatures} (the words for what eveflow
 * lacks), this is all of FEVER's configuration surface. Pure, immutable.
 */
public final class FeverFlags {
    /** When a flag's value switches its feature on. */
    public enum Effect {
        /** A boolean flag: on when given without a value or with a true value. */
        SWITCH,
        /** A string flag: on when non-empty. */
        NON_EMPTY,
        /** A Go duration: on when not zero. */
        NON_ZERO_DURATION,
        /** Never: the flag tunes a feature that only another flag switches on, or means nothing here. */
        NONE
    }

    /**
     * One FEVER flag: its names, whether it is a boolean (takes no value unless {@code --x=false}),
     * the {@link FeverFeatures} section it belongs to (null for general flags), and its effect.
     */
    public record Flag(List<String> names, boolean isBoolean, String feature, Effect effect) {
        /** The long name, for messages. */
        public String longName() {
            return names.get(names.size() - 1);
        }
    }

    /** What a command line's FEVER flags amount to: names without effect, and refusals. */
    public record Result(List<String> withoutEffect, List<String> refused) {
        /** The one info line naming the flags accepted without effect, or null when there are none. */
        public String note() {
            return withoutEffect.isEmpty() ? null : "FEVER flags accepted without effect in eveflow: "
                    + String.join(", ", withoutEffect);
        }

        /** The one error message naming every refused flag, or null when none is refused. */
        public String refusal() {
            return refused.isEmpty() ? null : "FEVER features switched on that eveflow lacks: "
                    + String.join("; ", refused);
        }
    }

    public static final List<Flag> FLAGS = List.of(
            flag("database", Effect.SWITCH, true, "--db-enable"),
            flag("database", Effect.NONE, false, "-s", "--db-host"),
            flag("database", Effect.NONE, false, "-u", "--db-user"),
            flag("database", Effect.NONE, false, "-d", "--db-database"),
            flag("database", Effect.NONE, false, "-p", "--db-password"),
            flag("database", Effect.NONE, true, "-m", "--db-mongo"),
            flag("database", Effect.NONE, false, "--db-rotate"),
            flag("database", Effect.NONE, false, "--db-maxtablesize"),
            flag(null, Effect.NONE, false, "-c", "--chunksize"),
            flag(null, Effect.NONE, false, "--flushcount"),
            flag(null, Effect.NONE, true, "--dummy"),
            flag(null, Effect.NONE, false, "--profile"),
            flag(null, Effect.NONE, false, "--in-buffer-length"),
            flag(null, Effect.NONE, true, "--in-buffer-drop"),
            flag("redis", Effect.NON_EMPTY, false, "-r", "--in-redis"),
            flag("redis", Effect.NONE, true, "--in-redis-nopipe"),
            flag("flowreport", Effect.NON_ZERO_DURATION, false, "-n", "--flowreport-interval"),
            flag("flowreport", Effect.NONE, true, "--flowreport-nocompress"),
            flag("flowreport", Effect.NONE, false, "--flowreport-submission-url"),
            flag("flowreport", Effect.NONE, false, "--flowreport-submission-exchange"),
            flag("metrics", Effect.SWITCH, true, "--metrics-enable"),
            flag("metrics", Effect.NONE, false, "--metrics-submission-url"),
            flag("metrics", Effect.NONE, false, "--metrics-submission-exchange"),
            flag("pdns", Effect.SWITCH, true, "--pdns-enable"),
            flag("pdns", Effect.NONE, false, "--pdns-submission-url"),
            flag("pdns", Effect.NONE, false, "--pdns-submission-exchange"),
            flag("context", Effect.SWITCH, true, "--context-enable"),
            flag("context", Effect.NONE, false, "--context-cache-timeout"),
            flag("context", Effect.NONE, false, "--context-submission-url"),
            flag("context", Effect.NONE, false, "--context-submission-exchange"),
            flag("flowextract", Effect.SWITCH, true, "--flowextract-enable"),
            flag("flowextract", Effect.NONE, false, "--flowextract-bloom-selector"),
            flag("flowextract", Effect.NONE, false, "--flowextract-submission-url"),
            flag("flowextract", Effect.NONE, false, "--flowextract-submission-exchange"),
            flag("active", Effect.SWITCH, true, "--active-rdns"),
            flag("active", Effect.NONE, true, "--active-rdns-private-only"),
            flag("active", Effect.NONE, false, "--active-rdns-cache-expiry"),
            flag("heartbeat", Effect.SWITCH, true, "--heartbeat-enable"),
            flag("heartbeat", Effect.NONE, false, "--heartbeat-times"),
            flag("bloom", Effect.NON_EMPTY, false, "-b", "--bloom-file"),
            flag("bloom", Effect.NONE, true, "-z", "--bloom-zipped"),
            flag("bloom", Effect.NONE, false, "--bloom-alert-prefix"),
            flag("bloom", Effect.NONE, false, "--bloom-blacklist-iocs"),
            flag("ip", Effect.NON_EMPTY, false, "--ip-blacklist"),
            flag("ip", Effect.NONE, false, "--ip-alert-prefix"),
            flag("mgmt", Effect.NONE, false, "--mgmt-host"),
            flag("mgmt", Effect.NONE, false, "--mgmt-network"),
            flag("mgmt", Effect.NONE, false, "--mgmt-socket"));

    private FeverFlags() {
    }

    /**
     * Adds every flag of {@link #FLAGS} to {@code command}, hidden: a boolean bare or as
     * {@code --x=false}, any other with one value, all as strings for {@link #classify}.
     */
    public static void addTo(CommandLine.Model.CommandSpec command) {
        for (Flag f : FLAGS) {
            CommandLine.Model.OptionSpec.Builder b = CommandLine.Model.OptionSpec.builder(f.names().toArray(String[]::new))
                    .type(String.class).hidden(true).description("FEVER's flag (see docs/migrating-from-fever.md)");
            if (f.isBoolean()) {
                b.arity("0..1").fallbackValue("true");
            } else {
                b.arity("1");
            }
            command.addOption(b.build());
        }
    }

    /** Long name to value of each of these flags a parsed command line has ("true" for a bare boolean). */
    public static Map<String, String> given(CommandLine.ParseResult parsed) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Flag f : FLAGS) {
            CommandLine.Model.OptionSpec o = parsed == null ? null : parsed.matchedOption(f.longName());
            if (o != null) {
                given.put(f.longName(), String.valueOf((Object) o.getValue()));
            }
        }
        return given;
    }

    private static Flag flag(String feature, Effect effect, boolean isBoolean, String... names) {
        return new Flag(List.of(names), isBoolean, feature, effect);
    }

    /**
     * Sorts the given flags (long name to the value given, "true" for a boolean given bare) into
     * accepted without effect and refused. Values are never echoed (a password may be one).
     */
    public static Result classify(Map<String, String> given) throws ConfigException {
        List<String> none = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (Flag f : FLAGS) {
            String value = given.get(f.longName());
            if (value == null) {
                continue;
            }
            if (switchesOn(f, value)) {
                refused.add(f.longName() + " (" + FeverFeatures.BY_SECTION.get(f.feature()).explain() + ")");
            } else {
                none.add(f.longName());
            }
        }
        return new Result(List.copyOf(none), List.copyOf(refused));
    }

    private static boolean switchesOn(Flag f, String value) throws ConfigException {
        return switch (f.effect()) {
            case SWITCH -> goBool(f.longName(), value);
            case NON_EMPTY -> !value.isEmpty();
            case NON_ZERO_DURATION -> nonZeroDuration(f.longName(), value);
            case NONE -> {
                if (f.isBoolean()) {
                    goBool(f.longName(), value); // still a boolean: FEVER refuses --dummy=maybe
                }
                yield false;
            }
        };
    }

    /** A boolean as Go's strconv.ParseBool (pflag) reads it. */
    public static boolean goBool(String key, String value) throws ConfigException {
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new ConfigException(key + ": '" + value + "' is not a boolean (true or false)");
        };
    }

    /** Whether a Go duration (or a bare number of nanoseconds, as YAML may give it) is not zero. */
    static boolean nonZeroDuration(String key, String value) throws ConfigException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty() || v.matches("[+-]?0+(\\.0+)?")) {
            return false;
        }
        if (v.matches("[+-]?[0-9]+")) {
            return true;
        }
        try {
            return !Durations.parse(v.startsWith("+") ? v.substring(1) : v).isZero();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }
}

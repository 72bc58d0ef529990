package org.eveflow.config;

/**
 * An invalid configuration or flag (exit code 2), or one this machine refuses ({@link #refusedByHost},
 * exit code 1: a missing directory, a group eveflow cannot give). The message names where the problem
 * is, as {@link ConfigLoader} completes it: "FILE:LINE:COLUMN: key: problem" for a key in the file,
 * "--flag (key): problem" for a flag.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient String key;
    private final transient String problem;
    private final boolean refusedByHost;

    /** A problem that is about no single key, or whose message already names its place. */
    public ConfigException(String message) {
        super(message);
        this.key = null;
        this.problem = message;
        this.refusedByHost = false;
    }

    /** A problem with one key (dotted: "outputs.siem.socket"); the loader adds where it is. */
    public ConfigException(String dottedKey, String problem) {
        this(dottedKey, problem, false);
    }

    ConfigException(String dottedKey, String problem, boolean refusedByHost) {
        super(dottedKey + ": " + problem);
        this.key = dottedKey;
        this.problem = problem;
        this.refusedByHost = refusedByHost;
    }

    private ConfigException(String message, ConfigException located) {
        super(message);
        this.key = null;
        this.problem = located.problem;
        this.refusedByHost = located.refusedByHost;
    }

    /** The dotted key the problem is about, or null when the message already says where it is. */
    String key() {
        return key;
    }

    /** This exception with its key replaced by {@code where} ("FILE:3:5: input.socket"). */
    ConfigException locatedAt(String where) {
        return new ConfigException(where + ": " + problem, this);
    }

    /**
     * Whether the configuration is valid but this machine refuses it (what {@code run} would fail on
     * when it creates the input socket or the log file): exit code 1, as a failed start, not 2.
     */
    public boolean refusedByHost() {
        return refusedByHost;
    }
}

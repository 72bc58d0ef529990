package org.eveflow.daemon;

/** The daemon could not start; carries the process exit code (see DESIGN.md: 2 config, 3 socket, 1 other). */
public final class StartupException extends Exception {
    private final int exitCode;

    public StartupException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

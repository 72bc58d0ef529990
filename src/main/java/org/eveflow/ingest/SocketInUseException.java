package org.eveflow.ingest;

/** The input socket path is served by another live process, or is not a socket (exit code 3). */
public final class SocketInUseException extends Exception {
    public SocketInUseException(String message) {
        super(message);
    }
}

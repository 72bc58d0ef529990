package org.eveflow.event;

/** A line that is not a usable EVE record; the message says why. No stack trace (it is counted, not debugged). */
public final class MalformedEventException extends Exception {
    public MalformedEventException(String reason) {
        super(reason, null, false, false);
    }
}

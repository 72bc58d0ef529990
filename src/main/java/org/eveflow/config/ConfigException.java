package org.eveflow.config;

/** An invalid configuration or flag; the message names the key and the problem (exit code 2). */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}

package org.eveflow.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets eveflow's log level at run time (from logging.level or -v). Thread-safe (logback's own). */
public final class Logging {
    private Logging() {
    }

    /** Routes java.util.logging (influxdb-client-java logs there) into logback, once. */
    public static synchronized void bridgeJul() {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
    }

    public static void setLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            ctx.getLogger("org.eveflow").setLevel(Level.toLevel(level, Level.INFO));
            if (Level.toLevel(level).toInt() > Level.DEBUG.toInt()) {
                ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            }
        }
    }
}

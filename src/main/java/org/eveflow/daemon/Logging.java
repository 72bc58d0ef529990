package org.eveflow.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sets eveflow's log level at run time (from logging.level or -v). Thread-safe (logback's own). */
public final class Logging {
    private Logging() {
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

package org.eveflow.log;

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

    /**
     * Where logs go and how (FEVER's --logfile/--logjson, logging.file/json): {@code file} null keeps
     * stderr; {@code json} writes one JSON object per line in FEVER's shape ({@link FeverJsonEncoder}). Call before start.
     */
    public static void configureOutput(String file, boolean json) {
        boolean toFile = file != null && !file.isEmpty();
        if (!toFile && !json) {
            return;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.core.encoder.Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder;
        if (json) {
            FeverJsonEncoder e = new FeverJsonEncoder();
            e.setContext(ctx);
            e.start();
            encoder = e;
        } else {
            ch.qos.logback.classic.encoder.PatternLayoutEncoder e = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
            e.setContext(ctx);
            e.setPattern(ctx.getProperty("EVEFLOW_PATTERN")); // logback.xml's, so file and stderr look alike
            e.start();
            encoder = e;
        }
        ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender;
        if (toFile) {
            ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> f =
                    new ch.qos.logback.core.FileAppender<>();
            f.setFile(file);
            f.setAppend(true);
            appender = f;
        } else {
            ch.qos.logback.core.ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> c =
                    new ch.qos.logback.core.ConsoleAppender<>();
            c.setTarget("System.err");
            appender = c;
        }
        appender.setContext(ctx);
        appender.setName("OUT");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
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

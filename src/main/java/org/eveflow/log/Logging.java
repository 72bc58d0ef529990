package org.eveflow.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where eveflow's log goes and at which level (logging.file/json, -v), and what happens when it cannot
 * be written: logback reports a failed write (a full disk, a file removed under it) only to its own
 * status manager, so every error status is counted ({@code log_failures}) and told on stderr, at most
 * once per {@link #STDERR_EVERY_MS}. Thread-safe (logback's own; the counter is a LongAdder).
 */
public final class Logging {
    /** A disk that stays full fails every write: stderr (the journal) gets the news, not a flood. */
    private static final long STDERR_EVERY_MS = 10_000;
    private static final java.util.concurrent.atomic.LongAdder FAILURES = new java.util.concurrent.atomic.LongAdder();
    private static final java.util.concurrent.atomic.AtomicLong LAST_TOLD = new java.util.concurrent.atomic.AtomicLong(
            Long.MIN_VALUE / 2);

    private Logging() {
    }

    /** Errors logback had writing the log since start (log_failures). */
    public static long failures() {
        return FAILURES.sum();
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
     * stderr (logback.xml's pattern); {@code json} writes one JSON object per line in FEVER's shape
     * ({@link FeverJsonEncoder}), else a file gets FEVER's text lines ({@link FeverTextEncoder}). Call
     * before start.
     */
    public static void configureOutput(String file, boolean json) throws java.io.IOException {
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
        } else { // a file without json: FEVER's text lines (logrus), as FEVER's --logfile writes them
            FeverTextEncoder e = new FeverTextEncoder();
            e.setContext(ctx);
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
            fileAppender = f;
        } else {
            ch.qos.logback.core.ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> c =
                    new ch.qos.logback.core.ConsoleAppender<>();
            c.setTarget("System.err");
            appender = c;
        }
        appender.setContext(ctx);
        appender.setName("OUT");
        appender.setEncoder(encoder);
        if (toFile && java.nio.file.Files.isDirectory(java.nio.file.Path.of(file))) {
            throw new java.io.IOException("the log file " + file + " is a directory");
        }
        ctx.getStatusManager().add(Logging::statusReported);
        if (toFile) {
            createReadableByGroup(java.nio.file.Path.of(file));
        }
        appender.start();
        if (!appender.isStarted()) {
            throw new java.io.IOException("cannot write the log file " + file + " (see the message above)");
        }
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    /** The log file's appender, or null when logging to stderr: {@link #reopen} reopens its file. */
    private static volatile ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> fileAppender;
    /** A new log file is readable by the owner's group (adm on Debian), not by others: FEVER's mode. */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> LOG_FILE_MODE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");

    /**
     * Reopens the log file at its path (SIGHUP, after logrotate renamed it): under the appender's lock
     * the old file is closed and the file at the path opened, created 0640 if missing, so no line is
     * lost and none goes to the renamed file once this returns. Nothing to do when logging to stderr.
     */
    public static void reopen() throws java.io.IOException {
        ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> f = fileAppender;
        if (f == null) {
            return;
        }
        createReadableByGroup(java.nio.file.Path.of(f.getFile()));
        f.openFile(f.getFile());
    }

    /** Creates {@code file} with mode 0640 (whatever the umask) if it does not exist. */
    private static void createReadableByGroup(java.nio.file.Path file) throws java.io.IOException {
        try {
            java.nio.file.Files.createFile(file);
            java.nio.file.Files.setPosixFilePermissions(file, LOG_FILE_MODE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // an existing log keeps its mode (the operator's)
        } catch (java.nio.file.NoSuchFileException e) {
            throw new java.io.IOException("the log file's directory does not exist: " + file.getParent(), e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new java.io.IOException("cannot create the log file " + file + ": permission denied", e);
        }
    }

    /** Counts an error logback reports about itself and tells stderr, rate-limited. */
    private static void statusReported(ch.qos.logback.core.status.Status s) {
        if (s.getLevel() < ch.qos.logback.core.status.Status.ERROR) {
            return;
        }
        FAILURES.increment();
        long now = System.currentTimeMillis();
        long last = LAST_TOLD.get();
        if (now - last >= STDERR_EVERY_MS && LAST_TOLD.compareAndSet(last, now)) {
            Throwable cause = s.getThrowable();
            System.err.println("eveflow: the log cannot be written: " + s.getMessage()
                    + (cause == null ? "" : " (" + cause + ")") + "; " + FAILURES.sum()
                    + " failures so far (log_failures); eveflow runs on");
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

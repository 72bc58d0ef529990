package org.eveflow.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.status.Status;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Where eveflow's log goes and at which level (logging.file/json, -v), and what happens when it cannot
 * be written: logback reports a failed write (a full disk, a file removed under it) only to its own
 * status manager, so every error status is counted ({@code log_failures}) and told on stderr, at most
 * once per {@link #STDERR_EVERY_MS}. Thread-safe (logback's own; the counter is a LongAdder).
 */
public final class Logging {
    /** A disk that stays full fails every write: stderr (the journal) gets the news, not a flood. */
    private static final long STDERR_EVERY_MS = 10_000;
    private static final LongAdder FAILURES = new LongAdder();
    private static final AtomicLong LAST_TOLD = new AtomicLong(
            Long.MIN_VALUE / 2);

    private Logging() {
    }

    /** Errors logback had writing the log since start (log_failures). */
    public static long failures() {
        return FAILURES.sum();
    }

    /** Routes java.util.logging (influxdb-client-java logs there) into logback, once. */
    public static synchronized void bridgeJul() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /**
     * Where logs go and how (FEVER's --logfile/--logjson, logging.file/json): {@code file} null keeps
     * stderr (logback.xml's pattern); {@code json} writes one JSON object per line in FEVER's shape
     * ({@link FeverJsonEncoder}), else a file gets FEVER's text lines ({@link FeverTextEncoder}). Call
     * before start.
     */
    public static void configureOutput(String file, boolean json) throws IOException {
        boolean toFile = file != null && !file.isEmpty();
        if (!toFile && !json) {
            return;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Encoder<ILoggingEvent> encoder;
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
        OutputStreamAppender<ILoggingEvent> appender;
        if (toFile) {
            FileAppender<ILoggingEvent> f =
                    new FileAppender<>();
            f.setFile(file);
            f.setAppend(true);
            appender = f;
            fileAppender = f;
        } else {
            ConsoleAppender<ILoggingEvent> c =
                    new ConsoleAppender<>();
            c.setTarget("System.err");
            appender = c;
        }
        appender.setContext(ctx);
        appender.setName("OUT");
        appender.setEncoder(encoder);
        if (toFile && Files.isDirectory(Path.of(file))) {
            throw new IOException("the log file " + file + " is a directory");
        }
        ctx.getStatusManager().add(Logging::statusReported);
        if (toFile) {
            createReadableByGroup(Path.of(file));
        }
        appender.start();
        if (!appender.isStarted()) {
            throw new IOException("cannot write the log file " + file + " (see the message above)");
        }
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    /** The log file's appender, or null when logging to stderr: {@link #reopen} reopens its file. */
    private static volatile FileAppender<ILoggingEvent> fileAppender;
    /** A new log file is readable by the owner's group (adm on Debian), not by others: FEVER's mode. */
    private static final Set<PosixFilePermission> LOG_FILE_MODE =
            PosixFilePermissions.fromString("rw-r-----");

    /**
     * Reopens the log file at its path (SIGHUP, after logrotate renamed it): under the appender's lock
     * the old file is closed and the file at the path opened, created 0640 if missing, so no line is
     * lost and none goes to the renamed file once this returns. Nothing to do when logging to stderr.
     */
    public static void reopen() throws IOException {
        FileAppender<ILoggingEvent> f = fileAppender;
        if (f == null) {
            return;
        }
        createReadableByGroup(Path.of(f.getFile()));
        f.openFile(f.getFile());
    }

    /** Creates {@code file} with mode 0640 (whatever the umask) if it does not exist. */
    private static void createReadableByGroup(Path file) throws IOException {
        try {
            Files.createFile(file);
            Files.setPosixFilePermissions(file, LOG_FILE_MODE);
        } catch (FileAlreadyExistsException e) {
            // an existing log keeps its mode (the operator's)
        } catch (NoSuchFileException e) {
            throw new IOException("the log file's directory does not exist: " + file.getParent(), e);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot create the log file " + file + ": permission denied", e);
        }
    }

    /** Counts an error logback reports about itself and tells stderr, rate-limited. */
    private static void statusReported(Status s) {
        if (s.getLevel() < Status.ERROR) {
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

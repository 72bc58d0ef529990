package org.eveflow.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which throwables end the daemon, and that every way one can surface reaches the exit. */
class FatalTest {
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private IntConsumer previous;
    private Thread.UncaughtExceptionHandler previousHandler;

    @BeforeEach
    void recordExit() {
        previous = Fatal.exitWith(exitCode::set);
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
    }

    @AfterEach
    void restore() {
        Fatal.exitWith(previous);
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
    }

    @Test
    void anErrorIsFatalButAFullDirectMemoryIsNot() {
        assertThat(Fatal.isFatal(new OutOfMemoryError("Java heap space"))).isTrue();
        assertThat(Fatal.isFatal(new StackOverflowError())).isTrue();
        assertThat(Fatal.isFatal(new AssertionError("bug"))).isTrue();
        assertThat(Fatal.isFatal(new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory"))).isFalse();
        assertThat(Fatal.isFatal(new OutOfMemoryError("failed to allocate 16777216 byte(s) of direct memory"))).isFalse();
        assertThat(Fatal.isFatal(new IllegalStateException("bug"))).isFalse();
        Fatal.ifFatal("here", new IllegalStateException("bug"));
        assertThat(exitCode.get()).isEqualTo(-1);
        Fatal.ifFatal("here", new OutOfMemoryError("Java heap space"));
        assertThat(exitCode.get()).isEqualTo(1);
    }

    @Test
    void aGuardedTaskThatThrowsAnErrorEndsTheDaemon() {
        Runnable task = Fatal.guarded("a task", () -> {
            throw new OutOfMemoryError("Java heap space");
        });
        try {
            task.run();
        } catch (OutOfMemoryError rethrown) {
            // after the exit (which tests record instead of halting)
        }
        assertThat(exitCode.get()).isEqualTo(1);
    }

    @Test
    void anExceptionThatEndsAnyThreadEndsTheDaemon() throws Exception {
        Fatal.handleUncaught();
        Thread t = new Thread(() -> {
            throw new IllegalStateException("a thread died");
        }, "some-thread");
        t.start();
        t.join();
        await().atMost(Duration.ofSeconds(5)).until(() -> exitCode.get() == 1);
    }
}

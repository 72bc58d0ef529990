package org.eveflow.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * An unpooled allocator whose direct allocations fail when the test says: attempt number
 * {@code n} (from 1) fails if {@code failsAt} holds for it, by calling {@code failure} with the
 * size asked for, which throws (the JDK's OutOfMemoryError for a full direct memory, or a bug).
 * Counts attempts. Not thread-safe.
 */
public final class FailingAllocator extends AbstractByteBufAllocator {
    private final IntPredicate failsAt;
    private final IntConsumer failure;
    private int attempts;

    public FailingAllocator(IntPredicate failsAt, IntConsumer failure) {
        super(true);
        this.failsAt = failsAt;
        this.failure = failure;
    }

    /** Direct buffers until {@code allowed} have been handed out, then the JDK's error for a full direct memory. */
    public static FailingAllocator directMemoryFullAfter(int allowed) {
        return new FailingAllocator(n -> n > allowed, size -> {
            throw new OutOfMemoryError("Cannot reserve " + size + " bytes of direct buffer memory (test)");
        });
    }

    public int attempts() {
        return attempts;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (failsAt.test(++attempts)) {
            failure.accept(initialCapacity);
        }
        return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}

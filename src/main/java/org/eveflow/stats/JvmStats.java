package org.eveflow.stats;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * JVM health for the stats report: heap in use, direct memory held by Netty's allocators (the
 * input's and the outputs' buffers), GC time and count (cumulative). Stateless.
 */
final class JvmStats {
    private JvmStats() {
    }

    static void addTo(Map<String, Long> m) {
        m.put("jvm_heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        m.put("jvm_direct_used_bytes", directUsed());
        long time = 0;
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            time += Math.max(0, gc.getCollectionTime());
            count += Math.max(0, gc.getCollectionCount());
        }
        m.put("jvm_gc_time_ms", time);
        m.put("jvm_gc_count", count);
    }

    /** Direct memory of the default allocator (input buffers) and the pooled one (output copies), once each. */
    private static long directUsed() {
        long used = direct(PooledByteBufAllocator.DEFAULT);
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT) {
            used += direct(ByteBufAllocator.DEFAULT);
        }
        return used;
    }

    private static long direct(ByteBufAllocator a) {
        return a instanceof ByteBufAllocatorMetricProvider m ? Math.max(0, m.metric().usedDirectMemory()) : 0;
    }
}

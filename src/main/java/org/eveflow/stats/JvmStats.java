package org.eveflow.stats;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;

/** JVM health for the stats report: heap in use, GC time and count (cumulative). Stateless. */
final class JvmStats {
    private JvmStats() {
    }

    static void addTo(Map<String, Long> m) {
        m.put("jvm_heap_used_bytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        long time = 0;
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            time += Math.max(0, gc.getCollectionTime());
            count += Math.max(0, gc.getCollectionCount());
        }
        m.put("jvm_gc_time_ms", time);
        m.put("jvm_gc_count", count);
    }
}

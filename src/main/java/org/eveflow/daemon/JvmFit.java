package org.eveflow.daemon;

import java.util.ArrayList;
import java.util.List;
import org.eveflow.config.Config;
import org.eveflow.config.Keys;

/**
 * Fits a validated configuration to the JVM's memory, in one step, before anything is made from it:
 * max-keys and src-ports-total {@code auto} become what fits the heap ({@link HeapBudget}), a fixed
 * table that may not fit the heap is warned about, and buffer-bytes that do not fit direct memory are
 * reduced ({@link DirectMemoryBudget}). A start, a reload and check-config all take this step, so a
 * reloaded configuration compares with the running one size for size. Pure given its limits.
 *
 * @param config   the configuration to run
 * @param notes    what was derived, for an info line
 * @param warnings what does not fit, for a warning
 */
public record JvmFit(Config config, List<String> notes, List<String> warnings) {

    /** {@code configured} fitted to this JVM. */
    public static JvmFit ofThisJvm(Config configured) {
        return of(configured, Runtime.getRuntime().maxMemory(), DirectMemoryBudget.ofThisJvm());
    }

    static JvmFit of(Config configured, long maxHeap, DirectMemoryBudget direct) {
        List<String> notes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Long maxKeys = configured.get(Keys.MAX_KEYS);
        Long portsTotal = configured.get(Keys.SRC_PORTS_TOTAL);
        long keys = maxKeys != null ? maxKeys : HeapBudget.derivedMaxKeys(maxHeap);
        long ports = portsTotal != null ? portsTotal : HeapBudget.derivedPortsTotal((int) keys);
        if (maxKeys == null || portsTotal == null) {
            notes.add(HeapBudget.derivation((int) keys, ports, maxHeap));
        }
        String heap = HeapBudget.warning(keys, ports, maxHeap);
        if (heap != null) {
            warnings.add(heap);
        }
        Config sized = configured.with(configured.settings().with(Keys.MAX_KEYS, keys)
                .with(Keys.SRC_PORTS_TOTAL, ports), configured.notes());
        DirectMemoryBudget.Fitted fitted = direct.fit(sized);
        if (fitted.warning() != null) {
            warnings.add(fitted.warning());
        }
        return new JvmFit(fitted.config(), List.copyOf(notes), List.copyOf(warnings));
    }
}

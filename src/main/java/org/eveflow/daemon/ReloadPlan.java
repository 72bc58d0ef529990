package org.eveflow.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eveflow.config.Config;
import org.eveflow.config.Key;
import org.eveflow.config.Keys;

/**
 * What a reload (SIGHUP) changes, computed from the running and the reloaded configuration by each
 * key's declaration ({@link Key#apply}), for {@link Daemon#reload} to apply: the configuration in
 * effect afterwards (the running one with every key a reload applies taken from the new one), whether
 * the flush and stats schedules and the stats target change, and the keys that changed but take
 * effect only at the next restart, by name. Pure and immutable.
 */
record ReloadPlan(Config effective, List<String> restartNeeded, boolean flushtimeChanged,
                  boolean statsIntervalChanged, boolean statsTargetChanged) {

    /** The keys that say where stats go: a change gets a new sink. */
    private static final Set<Key<?>> STATS_TARGET = Set.of(Keys.MEASUREMENT, Keys.HOST, Keys.TAGS,
            Keys.SURICATA_MEASUREMENT);

    static ReloadPlan of(Config running, Config next) {
        List<String> restart = new ArrayList<>();
        Map<String, Config.Output> byName = new HashMap<>();
        next.outputs().forEach(o -> byName.put(o.name(), o));
        List<Config.Output> outputs = new ArrayList<>();
        for (Config.Output o : running.outputs()) {
            Config.Output n = byName.remove(o.name());
            if (n == null) {
                restart.add("outputs." + o.name() + " (removed)");
                outputs.add(o);
            } else {
                o.restartKeys(n).forEach(k -> restart.add("outputs." + o.name() + "." + k));
                outputs.add(o.reloadedWith(n));
            }
        }
        byName.keySet().stream().sorted().forEach(name -> restart.add("outputs." + name + " (added)"));
        List<Key<?>> changed = running.settings().differing(next.settings());
        changed.stream().filter(k -> k.apply() == Key.Apply.RESTART).forEach(k -> restart.add(k.name()));
        Config effective = running.withOutputs(outputs).with(
                running.settings().takeFrom(next.settings(), k -> k.apply() == Key.Apply.RELOAD), next.notes());
        boolean statsTarget = changed.stream().anyMatch(k -> STATS_TARGET.contains(k)
                || k.name().startsWith("stats.influx."));
        return new ReloadPlan(effective, List.copyOf(restart), changed.contains(Keys.FLUSHTIME),
                changed.contains(Keys.STATS_INTERVAL), statsTarget);
    }
}

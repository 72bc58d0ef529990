package org.eveflow.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eveflow.config.Config;

/**
 * What a reload (SIGHUP) changes, computed from the running and the reloaded configuration, for
 * {@link Daemon#reload} to apply: the configuration in effect afterwards (the running one with what a
 * reload takes: the flush interval, each output's type filter, the stats settings, the log level and
 * the shutdown grace), whether the flush and stats schedules and the stats target change, and the
 * keys that changed but take effect only at the next restart. Pure and immutable.
 */
record ReloadPlan(Config effective, List<String> restartNeeded, boolean flushtimeChanged,
                  boolean statsIntervalChanged, boolean statsTargetChanged) {

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
        if (!next.input().equals(running.input())) {
            restart.add("input");
        }
        if (!next.log().equals(running.log())) {
            restart.add("logging.file/json");
        }
        if (!next.addFields().equals(running.addFields())) {
            restart.add("add-fields");
        }
        Config.Aggregate ag = running.aggregate();
        Config.Aggregate na = next.aggregate();
        if (ag.maxKeys() != na.maxKeys() || ag.srcPortsPerKey() != na.srcPortsPerKey()
                || ag.srcPortsTotal() != na.srcPortsTotal()) {
            restart.add("aggregate limits");
        }
        if (!ag.keyExtras().equals(na.keyExtras())) {
            restart.add("aggregate.key");
        }
        Config.Stats st = running.stats();
        Config.Stats ns = next.stats();
        boolean statsTarget = !Objects.equals(ns.influx(), st.influx()) || !ns.measurement().equals(st.measurement())
                || !Objects.equals(ns.host(), st.host()) || !ns.tags().equals(st.tags())
                || !ns.suricata().measurement().equals(st.suricata().measurement());
        if (!Objects.equals(ns.prometheus(), st.prometheus())) {
            restart.add("stats.prometheus"); // the endpoint keeps its address until a restart
        }
        Config.Stats effectiveStats = new Config.Stats(ns.interval(), ns.measurement(), ns.host(), ns.tags(),
                ns.influx(), ns.feverFormat(), ns.suricata(), st.prometheus());
        Config effective = new Config(running.input(),
                new Config.Aggregate(na.flushtime(), ag.maxKeys(), ag.srcPortsPerKey(), ag.srcPortsTotal(),
                        ag.keyExtras()),
                List.copyOf(outputs), next.shutdownGrace(), effectiveStats, next.logLevel(), running.log(),
                running.addFields(), next.notes());
        return new ReloadPlan(effective, List.copyOf(restart), !na.flushtime().equals(ag.flushtime()),
                !ns.interval().equals(st.interval()), statsTarget);
    }
}

package org.eveflow.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * FEVER's features that eveflow does not have, by the name of FEVER's config section, each with the
 * words an operator should read when a flag or an enabled section asks for it: what the feature is,
 * and eveflow's replacement if there is one. Pure, immutable.
 */
public final class FeverFeatures {
    /** One missing feature: its name and what to use instead (null when nothing does the same). */
    public record Feature(String name, String replacement) {
        /** The sentence for an error or log line. */
        public String explain() {
            return "eveflow has no " + name + (replacement == null ? "" : "; instead: " + replacement);
        }
    }

    public static final Map<String, Feature> BY_SECTION;

    static {
        Map<String, Feature> m = new LinkedHashMap<>();
        m.put("database", new Feature("database output (PostgreSQL/MongoDB)",
                "aggregates and events go to the output socket; load them into a database downstream"));
        m.put("flowreport", new Feature("flow reports over AMQP", "aggregates are written to the output socket"));
        m.put("metrics", new Feature("AMQP metrics submission",
                "counters go to InfluxDB (stats.influx in the config, or --influx-url)"));
        m.put("pdns", new Feature("passive DNS collection", null));
        m.put("context", new Feature("flow context collection for alerts", null));
        m.put("flowextract", new Feature("flow extraction over AMQP", "forward raw flow events with -t flow or -T"));
        m.put("active", new Feature("active rDNS enrichment", null));
        m.put("heartbeat", new Feature("heartbeat events", null));
        m.put("bloom", new Feature("Bloom filter IoC alerting", null));
        m.put("ip", new Feature("IP blacklist alerting", null));
        m.put("mgmt", new Feature("management server", null));
        m.put("redis", new Feature("Redis input",
                "let Suricata write its eve-log (filetype: unix_stream) into eveflow's socket"));
        m.put("profile", new Feature("runtime profiling flag", "JDK Flight Recorder: -XX:StartFlightRecording"));
        BY_SECTION = Collections.unmodifiableMap(m);
    }

    private FeverFeatures() {
    }
}

package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;

/**
 * Command-line values that override the file; null means "not given". Each sets a key of the tree
 * ({@link #applyTo}): -i input.socket, -f aggregate.flushtime, -o/-t/-T the output "default"'s socket,
 * types and all ({@code outSocket} "" switches it off), --reconnect-retries every output's,
 * --stats-interval, --influx-url, FEVER's --logfile, --logjson and --toolname (the stats measurement,
 * in FEVER's format), --prometheus-listen, -v logging.level debug. Immutable.
 */
public record Overrides(String inSocket, String outSocket, String flushtime, List<String> fwdEventTypes,
                        Boolean fwdAllTypes, Boolean verbose, Integer reconnectRetries, String statsInterval,
                        String influxUrl, String logFile, Boolean logJson, String toolname,
                        String prometheusListen) {

    public Overrides(String inSocket, String outSocket, String flushtime, List<String> fwdEventTypes,
                     Boolean fwdAllTypes, Boolean verbose, Integer reconnectRetries, String statsInterval,
                     String influxUrl, String logFile, Boolean logJson, String toolname) {
        this(inSocket, outSocket, flushtime, fwdEventTypes, fwdAllTypes, verbose, reconnectRetries, statsInterval,
                influxUrl, logFile, logJson, toolname, null);
    }

    public Overrides(String inSocket, String outSocket, String flushtime, List<String> fwdEventTypes,
                     Boolean fwdAllTypes, Boolean verbose, Integer reconnectRetries, String statsInterval,
                     String influxUrl) {
        this(inSocket, outSocket, flushtime, fwdEventTypes, fwdAllTypes, verbose, reconnectRetries, statsInterval,
                influxUrl, null, null, null);
    }

    public Overrides(String inSocket, String outSocket, String flushtime, List<String> fwdEventTypes,
                     Boolean fwdAllTypes, Boolean verbose) {
        this(inSocket, outSocket, flushtime, fwdEventTypes, fwdAllTypes, verbose, null, null, null);
    }

    public Overrides(String inSocket, String outSocket, String flushtime, List<String> fwdEventTypes,
                     Boolean fwdAllTypes, Boolean verbose, Integer reconnectRetries) {
        this(inSocket, outSocket, flushtime, fwdEventTypes, fwdAllTypes, verbose, reconnectRetries, null, null);
    }

    public static Overrides none() {
        return new Overrides(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Sets the given flags' keys in {@code tree}, remembering each flag. FEVER's -o/-t/-T are ignored
     * (noted) when the file is FEVER's with a multi-forward section, as FEVER ignores them then.
     */
    void applyTo(ConfigTree tree) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (inSocket != null) {
            tree.setByFlag("--in-socket", "input.socket", f.textNode(inSocket));
        }
        if (flushtime != null) {
            tree.setByFlag("--flushtime", "aggregate.flushtime", f.textNode(flushtime));
        }
        boolean touchDefault = outSocket != null || fwdEventTypes != null || fwdAllTypes != null;
        if (touchDefault && tree.multiForward()) {
            tree.notes().add("--out-socket, --fwd-event-types and --fwd-all-types are ignored: the config file has a "
                    + "multi-forward section (as in FEVER)");
        } else if (touchDefault) {
            String key = "outputs." + ConfigDefaults.DEFAULT_OUTPUT;
            JsonNode outputs = tree.root().get("outputs");
            if (!(outputs instanceof ObjectNode o) || !o.hasNonNull(ConfigDefaults.DEFAULT_OUTPUT)) {
                tree.set(key + ".socket", f.textNode(ConfigDefaults.outSocket())); // the default's own socket
            }
            if (outSocket != null) {
                tree.setByFlag("--out-socket", key + ".socket", f.textNode(outSocket));
            }
            if (fwdEventTypes != null) {
                ArrayNode types = f.arrayNode();
                fwdEventTypes.forEach(types::add);
                tree.setByFlag("--fwd-event-types", key + ".types", types);
            }
            if (fwdAllTypes != null) {
                tree.setByFlag("--fwd-all-types", key + ".all", f.booleanNode(fwdAllTypes));
            }
        }
        if (reconnectRetries != null && tree.root().get("outputs") instanceof ObjectNode outputs) {
            for (Iterator<String> it = outputs.fieldNames(); it.hasNext(); ) {
                tree.setByFlag("--reconnect-retries", "outputs." + it.next() + ".reconnect-retries",
                        f.numberNode(reconnectRetries));
            }
        }
        if (Boolean.TRUE.equals(verbose)) {
            tree.setByFlag("--verbose", "logging.level", f.textNode("debug"));
        }
        if (statsInterval != null) {
            tree.setByFlag("--stats-interval", "stats.interval", f.textNode(statsInterval));
        }
        if (influxUrl != null) {
            tree.setByFlag("--influx-url", "stats.influx.url", f.textNode(influxUrl));
        }
        if (logFile != null) {
            tree.setByFlag("--logfile", "logging.file", f.textNode(logFile));
        }
        if (logJson != null) {
            tree.setByFlag("--logjson", "logging.json", f.booleanNode(logJson));
        }
        if (toolname != null) {
            tree.setByFlag("--toolname", "stats.measurement", f.textNode(toolname));
            tree.setByFlag("--toolname", "stats.format", f.textNode("fever"));
        }
        if (prometheusListen != null) {
            tree.setByFlag("--prometheus-listen", "stats.prometheus.listen", f.textNode(prometheusListen));
        }
    }
}

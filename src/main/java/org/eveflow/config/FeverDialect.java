package org.eveflow.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * FEVER's {@code fever.yaml} as an accepted dialect of eveflow's config file: the keys that map onto
 * eveflow features are translated to eveflow's keys (input.socket; multi-forward -> outputs with
 * buffer-length -> buffer-lines; flushtime; reconnect-retries for every output; logging.file/json;
 * add-fields; verbose -> debug level; toolname -> stats measurement). Sections of FEVER features
 * eveflow lacks are refused when enabled and noted (returned) when disabled; input.buffer and
 * input.buffer-drop have no meaning here (no input queue, never drops input) and are noted. Pure.
 */
final class FeverDialect {
    /** Keys that only FEVER's file has at the top level: any of them makes the file FEVER's. */
    private static final Set<String> FEVER_KEYS = Set.of("multi-forward", "flushtime", "reconnect-retries",
            "verbose", "toolname", "database", "flowreport", "metrics", "pdns", "context", "heartbeat",
            "flowextract", "active", "mgmt", "bloom", "ip", "output", "forward", "chunksize", "flushcount", "dummy",
            "profile");
    /** FEVER's top-level keys without effect on the flow path: noted. */
    private static final Set<String> NO_EFFECT_KEYS = Set.of("chunksize", "flushcount", "dummy", "profile");
    private static final Set<String> EVEFLOW_KEYS = Set.of("aggregate", "outputs", "shutdown-grace");
    /**
     * Keys both formats share, translated key by key above; {@code stats} is eveflow's (FEVER's metrics
     * went over AMQP), allowed in a FEVER file so that its metrics can go to InfluxDB directly.
     */
    private static final Set<String> SHARED_KEYS = Set.of("input", "logging", "add-fields", "stats");

    /**
     * The translated tree and the notes to log at info; {@code multiForward}: the file has FEVER's
     * multi-forward section, so FEVER's -o/-t/-T flags do not apply (FEVER ignores them then).
     */
    record Result(ObjectNode tree, List<String> notes, boolean multiForward) {
    }

    private FeverDialect() {
    }

    static boolean applies(JsonNode root) {
        if (root == null || !root.isObject()) {
            return false;
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            if (FEVER_KEYS.contains(it.next())) {
                return true;
            }
        }
        JsonNode in = root.get("input");
        return in != null && (in.has("buffer") || in.has("buffer-length") || in.has("buffer-drop"));
    }

    static Result translate(ObjectNode fever) throws ConfigException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        List<String> notes = new ArrayList<>();
        for (String k : EVEFLOW_KEYS) {
            if (fever.has(k)) {
                throw new ConfigException("the file mixes FEVER's keys with eveflow's '" + k + "': use one format");
            }
        }
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, FeverFeatures.Feature> e : FeverFeatures.BY_SECTION.entrySet()) {
            JsonNode section = fever.get(e.getKey());
            if (section == null || !section.isObject()) {
                continue;
            }
            if (enabled(e.getKey(), section)) {
                refused.add("'" + e.getKey() + "' (" + e.getValue().explain() + ")");
            } else {
                notes.add("FEVER section '" + e.getKey() + "' is disabled and ignored (" + e.getValue().explain() + ")");
            }
        }
        JsonNode redis = fever.path("input").path("redis");
        if (!redis.path("server").asText("").isEmpty()) {
            refused.add("'input.redis' (" + FeverFeatures.BY_SECTION.get("redis").explain() + ")");
        }
        if (!refused.isEmpty()) {
            throw new ConfigException("FEVER features switched on that eveflow lacks (disable them or remove the"
                    + " sections): " + String.join("; ", refused));
        }
        for (String k : NO_EFFECT_KEYS) {
            if (fever.has(k)) {
                notes.add("FEVER key '" + k + "' has no effect in eveflow and is ignored");
            }
        }
        JsonNode in = fever.get("input");
        if (in != null && in.isObject()) {
            ObjectNode input = out.putObject("input");
            for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "buffer", "buffer-length" -> notes.add("input.buffer (FEVER's input queue) has no meaning in eveflow: it keeps "
                            + "no input queue; when it is slow, Suricata's writes wait (back-pressure)");
                    case "buffer-drop" -> notes.add("input.buffer-drop has no meaning in eveflow: it never drops input");
                    case "redis" -> notes.add("input.redis has no server and is ignored");
                    default -> input.set(e.getKey(), e.getValue());
                }
            }
        }
        JsonNode retries = fever.get("reconnect-retries");
        JsonNode forwards = fever.get("multi-forward");
        boolean multiForward = forwards != null && forwards.isObject() && forwards.size() > 0;
        if (multiForward) {
            ObjectNode outputs = out.putObject("outputs");
            for (Iterator<Map.Entry<String, JsonNode>> it = forwards.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ObjectNode o = outputs.putObject(e.getKey());
                if (!e.getValue().isObject()) {
                    throw new ConfigException("multi-forward." + e.getKey() + ": not a section");
                }
                for (Iterator<Map.Entry<String, JsonNode>> ft = e.getValue().fields(); ft.hasNext(); ) {
                    Map.Entry<String, JsonNode> kv = ft.next();
                    o.set(kv.getKey().equals("buffer-length") ? "buffer-lines" : kv.getKey(), kv.getValue());
                }
                if (!o.has("aggregates")) {
                    o.put("aggregates", false); // FEVER never writes aggregates to a forwarding socket
                }
                if (retries != null && !o.has("reconnect-retries")) {
                    o.set("reconnect-retries", retries);
                }
            }
            if (fever.has("output") || fever.has("forward")) {
                notes.add("FEVER's legacy 'output'/'forward' keys are ignored: the file has a multi-forward section");
            }
        } else if (fever.has("output") || fever.has("forward") || retries != null) {
            // FEVER's legacy single output: output.socket ('' = none), forward.types, forward.all
            ObjectNode d = out.putObject("outputs").putObject(ConfigDefaults.DEFAULT_OUTPUT);
            JsonNode socket = fever.path("output").path("socket");
            d.put("socket", socket.isMissingNode() || socket.isNull() ? ConfigDefaults.outSocket() : socket.asText());
            JsonNode types = fever.path("forward").path("types");
            if (!types.isMissingNode() && !types.isNull()) {
                d.set("types", types);
            }
            JsonNode all = fever.path("forward").path("all");
            if (!all.isMissingNode() && !all.isNull()) {
                d.set("all", all);
            }
            if (retries != null) {
                d.set("reconnect-retries", retries);
            }
        }
        if (fever.has("flushtime")) {
            out.putObject("aggregate").set("flushtime", fever.get("flushtime"));
        }
        JsonNode logging = fever.get("logging");
        ObjectNode log = null;
        if (logging != null && logging.isObject()) {
            log = out.putObject("logging");
            for (Iterator<Map.Entry<String, JsonNode>> it = logging.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!(e.getKey().equals("file") && e.getValue().isNull())) {
                    log.set(e.getKey(), e.getValue());
                }
            }
        }
        if (fever.path("verbose").asBoolean(false)) {
            (log != null ? log : out.putObject("logging")).put("level", "debug");
        }
        // FEVER's metrics: measurement = toolname ("fever" by default), in FEVER's format
        ObjectNode stats = fever.has("stats") && fever.get("stats").isObject()
                ? ((ObjectNode) fever.get("stats")).deepCopy() : f.objectNode();
        if (!stats.has("measurement")) {
            stats.set("measurement", fever.has("toolname") ? fever.get("toolname") : f.textNode("fever"));
        }
        if (!stats.has("format")) {
            stats.put("format", "fever");
        }
        out.set("stats", stats);
        JsonNode addFields = fever.get("add-fields");
        if (addFields != null && addFields.isObject()) {
            // FEVER's config library (viper) lowercases map keys: the same file gives the same field names
            ObjectNode lower = out.putObject("add-fields");
            for (Iterator<Map.Entry<String, JsonNode>> it = addFields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                lower.set(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
            }
        } else if (addFields != null) {
            out.set("add-fields", addFields);
        }
        for (Iterator<String> it = fever.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!FEVER_KEYS.contains(k) && !SHARED_KEYS.contains(k)) {
                out.set(k, fever.get(k)); // unknown: eveflow's validation names it
            }
        }
        return new Result(out, notes, multiForward);
    }

    /**
     * The key as FEVER's file writes what {@link #translate} made {@code eveflowKey} from
     * ("aggregate.flushtime" is "flushtime"), so that a message can point at its line.
     */
    static String keyInFile(String eveflowKey, boolean multiForward) {
        String[] p = eveflowKey.split("\\.", 3);
        if (eveflowKey.equals("aggregate.flushtime")) {
            return "flushtime";
        }
        if (eveflowKey.equals("logging.level")) {
            return "verbose";
        }
        if (eveflowKey.equals("stats.measurement")) {
            return "toolname";
        }
        if (p[0].equals("outputs") && p.length == 3) {
            if (multiForward) {
                return "multi-forward." + p[1] + "." + (p[2].equals("buffer-lines") ? "buffer-length" : p[2]);
            }
            return switch (p[2]) {
                case "socket" -> "output.socket";
                case "types" -> "forward.types";
                case "all" -> "forward.all";
                default -> p[2].startsWith("types[") ? "forward." + p[2] : "reconnect-retries";
            };
        }
        return eveflowKey;
    }

    /** Whether a FEVER section turns its feature on, by FEVER's own switches. */
    private static boolean enabled(String name, JsonNode s) {
        return switch (name) {
            case "flowreport" -> nonZeroDuration(s.path("interval"));
            case "profile", "redis" -> false; // flags, not sections
            case "active" -> s.path("rdns").asBoolean(false);
            case "bloom" -> !s.path("file").asText("").isEmpty();
            case "ip" -> !s.path("blacklist").asText("").isEmpty();
            case "mgmt" -> false; // FEVER's default file always names a management socket: noted, not refused
            default -> s.path("enable").asBoolean(false);
        };
    }

    private static boolean nonZeroDuration(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return false;
        }
        if (v.isNumber()) {
            return v.asLong() != 0;
        }
        String t = v.asText("").trim();
        return !t.isEmpty() && !t.matches("0+(\\.0+)?[a-zµ]*");
    }
}

package org.eveflow.config;

import java.util.List;

/**
 * Command-line values that override the file; null means "not given". {@code outSocket} "" removes
 * the default output; {@code reconnectRetries} applies to every output; {@code logFile},
 * {@code logJson} and {@code toolname} (the stats measurement) are FEVER's flags. Immutable.
 */
public record Overrides(String inSocket, String outSocket, String flushtime, List<String> fwdEventTypes,
                        Boolean fwdAllTypes, Boolean verbose, Integer reconnectRetries, String statsInterval,
                        String influxUrl, String logFile, Boolean logJson, String toolname) {

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
        return new Overrides(null, null, null, null, null, null, null, null, null, null, null, null);
    }
}

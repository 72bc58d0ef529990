package org.eveflow.aggregate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A copy of one {@link FlowWindow} entry as plain values, for assertions. */
final class FlowRecord {
    String timestamp;
    int[] srcPorts;
    int portCount;
    long flowCount;
    long pktsToServer;
    long pktsToClient;
    long bytesToServer;
    long bytesToClient;

    static FlowRecord of(FlowWindow w, int e) {
        FlowRecord r = new FlowRecord();
        r.timestamp = w.timestamp(e);
        r.flowCount = w.flowCount(e);
        r.pktsToServer = w.pktsToServer(e);
        r.pktsToClient = w.pktsToClient(e);
        r.bytesToServer = w.bytesToServer(e);
        r.bytesToClient = w.bytesToClient(e);
        r.portCount = w.portCount(e);
        r.srcPorts = new int[r.portCount];
        w.ports(e, r.srcPorts);
        return r;
    }

    /** Every entry of the windows by key; fails on a key present twice (it must be in one stripe, once). */
    static Map<FlowKey, FlowRecord> all(List<FlowWindow> windows) {
        Map<FlowKey, FlowRecord> m = new HashMap<>();
        for (FlowWindow w : windows) {
            for (int e = 0; e < w.size(); e++) {
                if (m.put(w.key(e), of(w, e)) != null) {
                    throw new AssertionError("key twice in one window: " + w.key(e));
                }
            }
        }
        return m;
    }

    int[] ports() {
        return Arrays.copyOf(srcPorts, portCount);
    }
}

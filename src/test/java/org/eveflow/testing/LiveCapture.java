package org.eveflow.testing;

import java.nio.file.Path;

/**
 * Writes the live bench's capture (src/bench/live-suricata.sh): {@link CaptureScenario} with one flow
 * per service for each of CLIENTS v4 and CLIENTS/2 v6 clients (unique addresses: many short flows),
 * an alert every 50th HTTP request. Usage: {@code LiveCapture FILE CLIENTS}; prints the flow count.
 */
public final class LiveCapture {
    private LiveCapture() {
    }

    public static void main(String[] args) throws Exception {
        int clients = Integer.parseInt(args[1]);
        int flows = CaptureScenario.write(Path.of(args[0]), "live", clients, 1, 50, 1_700_000_000_000_000L, 200);
        System.out.println(flows);
    }
}

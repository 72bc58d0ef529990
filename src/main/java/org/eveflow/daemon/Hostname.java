package org.eveflow.daemon;

import java.io.IOException;
import java.nio.file.Path;

/** The machine's host name for the {@code host} tag, read from the kernel (no DNS). */
final class Hostname {
    private Hostname() {
    }

    static String local() {
        try {
            String h = ProcFiles.read(Path.of("/proc/sys/kernel/hostname"));
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | SecurityException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}

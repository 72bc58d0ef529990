package org.eveflow.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A program a test needs: outside CI its absence skips the test, in CI (CI set) it fails it. */
public final class Required {
    private Required() {
    }

    /** Root, for a network namespace or af-packet: CI runs as root. */
    public static void root(String why) {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") != null) {
            if (!root) {
                throw new AssertionError("CI is set but the tests do not run as root, needed for " + why);
            }
        } else {
            Assumptions.assumeTrue(root, why + " needs root");
        }
    }

    public static void binary(String path, String installedBy) {
        boolean present = Files.isExecutable(Path.of(path));
        if (System.getenv("CI") != null) {
            if (!present) {
                throw new AssertionError("CI is set but " + path + " is missing: .ci/run installs " + installedBy);
            }
        } else {
            Assumptions.assumeTrue(present, path + " is not installed");
        }
    }
}

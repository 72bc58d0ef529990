package org.eveflow.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A program a test needs: outside CI its absence skips the test, in CI (CI set) it fails it. */
public final class Required {
    private Required() {
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

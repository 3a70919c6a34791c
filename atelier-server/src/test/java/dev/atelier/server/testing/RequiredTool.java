package dev.atelier.server.testing;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A tool a test needs from the host (python3, bubblewrap). Where it is missing the test is skipped, except in CI
 * ({@code CI=true}), where {@code .ci/run} installs it: there a missing tool fails the test instead of hiding it.
 */
public final class RequiredTool {
    private RequiredTool() {
    }

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(what + " is missing, and CI=true: .ci/run should have installed it");
        }
        Assumptions.assumeTrue(false, what + " is missing");
    }
}

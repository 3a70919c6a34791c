package dev.atelier.server.compute;

import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/** How a run-to-completion workload ended. */
public sealed interface RunOutcome {
    /** Exit code 0. */
    record Succeeded() implements RunOutcome {
    }

    /** It could not start, exited non-zero, timed out, or its target lost it; {@code reason} says which for a person. */
    record Failed(OptionalInt exitCode, String reason) implements RunOutcome {
        public Failed {
            requireNonNull(exitCode, "exitCode is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /** {@link RunHandle#stop} ended it (the domain knows why). */
    record Stopped(OptionalInt exitCode) implements RunOutcome {
        public Stopped {
            requireNonNull(exitCode, "exitCode is null");
        }
    }

    static Failed failed(String reason) {
        return new Failed(OptionalInt.empty(), reason);
    }
}

package dev.atelier.server.tracking;

import static java.util.Objects.requireNonNull;

/** A run with its data and inputs, as runs/get and runs/search answer it. */
public record Run(RunInfo info, RunData data, RunInputs inputs) {
    public Run {
        requireNonNull(info, "info is null");
        requireNonNull(data, "data is null");
        requireNonNull(inputs, "inputs is null");
    }
}

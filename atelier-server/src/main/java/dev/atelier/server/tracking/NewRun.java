package dev.atelier.server.tracking;

import static java.util.Objects.requireNonNull;

/** A run about to be created; the store derives its artifact URI from the experiment's artifact location. */
public record NewRun(String runId, long experimentId, String runName, String userId, RunStatus status, long startTime) {
    public NewRun {
        requireNonNull(runId, "runId is null");
        requireNonNull(runName, "runName is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(status, "status is null");
    }
}

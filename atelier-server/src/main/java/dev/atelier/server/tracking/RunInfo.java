package dev.atelier.server.tracking;

import com.fasterxml.jackson.annotation.JsonIgnore;

import static java.util.Objects.requireNonNull;

/**
 * The attributes of a run, in MLflow's field order. {@code runUuid} and {@code runId} are the same
 * id: MLflow still sends the deprecated {@code run_uuid} and clients read either.
 */
public record RunInfo(
        String runUuid,
        String experimentId,
        String runName,
        String userId,
        RunStatus status,
        Long startTime,
        Long endTime,
        String artifactUri,
        String lifecycleStage,
        String runId) {

    public RunInfo {
        requireNonNull(runUuid, "runUuid is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(status, "status is null");
        requireNonNull(artifactUri, "artifactUri is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
        if (!runUuid.equals(runId)) {
            throw new IllegalArgumentException("runUuid and runId differ: " + runUuid + " / " + runId);
        }
    }

    @JsonIgnore
    public boolean isActive() {
        return LifecycleStage.ACTIVE.equals(lifecycleStage);
    }
}

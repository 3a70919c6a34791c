package dev.atelier.server.jobs;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * A job as stored and as the API shows it. Nullable fields are {@code null} until the lifecycle
 * reaches them (times are epoch milliseconds). {@code spec} is the validated document, which holds
 * secret names only, never values.
 *
 * @param parentJob   the sweep a trial belongs to
 * @param result      what the job reports when it ends (a sweep: its best trial)
 */
public record Job(String name, JobType type, JobStatus status, String compute, String displayName, String experimentId, String runId,
                  String snapshotId, String parentJob, Integer trialIndex, String createdBy, long createdAt, Long preparedAt,
                  Long startedAt, Long endedAt, Integer exitCode, String reason, JsonNode result, JsonNode spec,
                  @JsonIgnore long queueSeq, @JsonIgnore boolean cancelRequested, @JsonIgnore String leaseOwner,
                  @JsonIgnore String workspace) {
    public Job {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(status, "status is null");
        requireNonNull(compute, "compute is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(createdBy, "createdBy is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(workspace, "workspace is null");
    }
}

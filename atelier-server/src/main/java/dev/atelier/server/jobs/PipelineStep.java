package dev.atelier.server.jobs;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A pipeline step's state as stored.
 *
 * @param jobName    the command job that runs it; empty until queued (and for a Reused or Skipped step)
 * @param runId      its run; a Reused step's is the original's
 * @param reusedFrom the job of the Completed step a Reused one took its outputs from
 * @param outputs    output name to datastore URI, once Completed or Reused
 */
record PipelineStep(String step, StepStatus status, Optional<String> jobName, Optional<String> runId, Optional<String> reuseKey,
                    Optional<String> reusedFrom, Map<String, String> outputs, long updatedAt) {
    PipelineStep {
        requireNonNull(step, "step is null");
        requireNonNull(status, "status is null");
        requireNonNull(jobName, "jobName is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(reuseKey, "reuseKey is null");
        requireNonNull(reusedFrom, "reusedFrom is null");
        outputs = Collections.unmodifiableMap(new TreeMap<>(outputs));
    }

    PipelineStep with(StepStatus newStatus, long now) {
        return new PipelineStep(step, newStatus, jobName, runId, reuseKey, reusedFrom, outputs, now);
    }
}

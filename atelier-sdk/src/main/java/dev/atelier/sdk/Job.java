package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A job as the server reports it.
 *
 * @param status Queued, Preparing, Running, Completed, Failed or Canceled
 * @param json   the job exactly as the server sent it (spec, times, result of a sweep)
 */
public record Job(String name, String type, String status, String compute, String runId, String experimentId,
                  Optional<String> snapshotId, Optional<String> reason, JsonNode json) {
    public Job {
        requireNonNull(name, "name is null");
        requireNonNull(status, "status is null");
        requireNonNull(json, "json is null");
    }

    public boolean ended() {
        return status.equals("Completed") || status.equals("Failed") || status.equals("Canceled");
    }

    /** A pipeline's steps, in its document's order; empty for other jobs. */
    public java.util.List<JobStep> steps() {
        java.util.List<JobStep> steps = new java.util.ArrayList<>();
        json.path("steps").forEach(step -> steps.add(JobStep.fromJson(step)));
        return steps;
    }

    static Job fromJson(JsonNode node) {
        return new Job(JsonFields.text(node, "name"), JsonFields.text(node, "type"), JsonFields.text(node, "status"),
                JsonFields.text(node, "compute"), JsonFields.text(node, "run_id"), JsonFields.text(node, "experiment_id"),
                JsonFields.optionalText(node, "snapshot_id"), JsonFields.optionalText(node, "reason"), node);
    }
}

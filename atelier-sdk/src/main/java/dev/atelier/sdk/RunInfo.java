package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * The metadata of an MLflow run ({@code run.info}).
 *
 * @param status         {@code RUNNING}, {@code SCHEDULED}, {@code FINISHED}, {@code FAILED} or {@code KILLED}
 * @param endTime        empty while the run has not ended
 * @param lifecycleStage {@code active} or {@code deleted}
 */
public record RunInfo(
        String runId,
        String runName,
        String experimentId,
        String userId,
        String status,
        long startTime,
        OptionalLong endTime,
        String artifactUri,
        String lifecycleStage) {

    public RunInfo {
        requireNonNull(runId, "runId is null");
        requireNonNull(runName, "runName is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(userId, "userId is null");
        requireNonNull(status, "status is null");
        requireNonNull(endTime, "endTime is null");
        requireNonNull(artifactUri, "artifactUri is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
    }

    static RunInfo fromJson(JsonNode node) {
        String runId = JsonFields.text(node, "run_id");
        return new RunInfo(
                runId.isEmpty() ? JsonFields.text(node, "run_uuid") : runId,
                JsonFields.text(node, "run_name"),
                JsonFields.text(node, "experiment_id"),
                JsonFields.text(node, "user_id"),
                JsonFields.text(node, "status"),
                JsonFields.longValue(node, "start_time"),
                JsonFields.has(node, "end_time") ? OptionalLong.of(JsonFields.longValue(node, "end_time")) : OptionalLong.empty(),
                JsonFields.text(node, "artifact_uri"),
                JsonFields.text(node, "lifecycle_stage"));
    }
}

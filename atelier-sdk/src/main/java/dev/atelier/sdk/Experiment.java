package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * An MLflow experiment.
 *
 * @param lifecycleStage {@code active} or {@code deleted}
 * @param json           the experiment object exactly as the server sent it
 */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        String lifecycleStage,
        long creationTime,
        long lastUpdateTime,
        Map<String, String> tags,
        JsonNode json) {

    public Experiment {
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(artifactLocation, "artifactLocation is null");
        requireNonNull(lifecycleStage, "lifecycleStage is null");
        tags = Map.copyOf(requireNonNull(tags, "tags is null"));
        requireNonNull(json, "json is null");
    }

    static Experiment fromJson(JsonNode node) {
        return new Experiment(
                JsonFields.text(node, "experiment_id"),
                JsonFields.text(node, "name"),
                JsonFields.text(node, "artifact_location"),
                JsonFields.text(node, "lifecycle_stage"),
                JsonFields.longValue(node, "creation_time"),
                JsonFields.longValue(node, "last_update_time"),
                JsonFields.keyValues(node, "tags"),
                node);
    }
}

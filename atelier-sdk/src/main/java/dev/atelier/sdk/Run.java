package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * An MLflow run.
 *
 * @param json the run object exactly as the server sent it
 */
public record Run(RunInfo info, RunData data, JsonNode json) {
    public Run {
        requireNonNull(info, "info is null");
        requireNonNull(data, "data is null");
        requireNonNull(json, "json is null");
    }

    static Run fromJson(JsonNode node) {
        return new Run(RunInfo.fromJson(node.path("info")), RunData.fromJson(node.get("data")), node);
    }
}

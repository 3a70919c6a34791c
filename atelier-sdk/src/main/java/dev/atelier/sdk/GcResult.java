package dev.atelier.sdk;

import com.fasterxml.jackson.databind.JsonNode;

import static java.util.Objects.requireNonNull;

/**
 * What a garbage collection removed for good: counts of rows and the bytes of artifacts freed.
 *
 * @param json the answer exactly as the server sent it
 */
public record GcResult(long runs, long experiments, long metrics, long params, long tags, long artifactBytes, JsonNode json) {
    public GcResult {
        requireNonNull(json, "json is null");
    }

    static GcResult fromJson(JsonNode node) {
        return new GcResult(
                JsonFields.longValue(node, "runs"),
                JsonFields.longValue(node, "experiments"),
                JsonFields.longValue(node, "metrics"),
                JsonFields.longValue(node, "params"),
                JsonFields.longValue(node, "tags"),
                JsonFields.longValue(node, "artifact_bytes"),
                node);
    }
}

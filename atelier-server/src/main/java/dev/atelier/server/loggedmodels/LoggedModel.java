package dev.atelier.server.loggedmodels;

import dev.atelier.server.tracking.ModelMetric;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An MLflow 3 logged model: a model with its own id ({@code m-} and 32 hex digits), files under
 * {@link #artifactUri()}, tags and params, outside any run (service.proto: LoggedModel, LoggedModelInfo,
 * LoggedModelData). {@link #json()} is its wire shape.
 */
public record LoggedModel(String modelId, String experimentId, String name, String artifactUri, long creationTimestampMs,
                          long lastUpdatedTimestampMs, LoggedModelStatus status, Optional<String> modelType,
                          Optional<String> sourceRunId, Optional<String> statusMessage, Map<String, String> tags,
                          Map<String, String> params) {
    public LoggedModel {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(name, "name is null");
        requireNonNull(artifactUri, "artifactUri is null");
        requireNonNull(status, "status is null");
        requireNonNull(modelType, "modelType is null");
        requireNonNull(sourceRunId, "sourceRunId is null");
        requireNonNull(statusMessage, "statusMessage is null");
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** {@link #json(List)} with no metrics. */
    public Map<String, Object> json() {
        return json(List.of());
    }

    /**
     * {@code {"info": LoggedModelInfo, "data": LoggedModelData}} with these metric points as {@code data.metrics};
     * unset and empty fields left out, {@code data} always there.
     */
    public Map<String, Object> json(List<ModelMetric> metrics) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_id", modelId);
        info.put("experiment_id", experimentId);
        info.put("name", name);
        info.put("creation_timestamp_ms", creationTimestampMs);
        info.put("last_updated_timestamp_ms", lastUpdatedTimestampMs);
        info.put("artifact_uri", artifactUri);
        info.put("status", status.name());
        modelType.ifPresent(type -> info.put("model_type", type));
        sourceRunId.ifPresent(run -> info.put("source_run_id", run));
        statusMessage.ifPresent(message -> info.put("status_message", message));
        if (!tags.isEmpty()) {
            info.put("tags", keyValues(tags));  // entries of a map are written even when empty; MLflow leaves them out
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("info", info);
        json.put("data", new Data(keyValues(params), metrics.stream().map(LoggedModel::metric).toList()));
        return json;
    }

    /** LoggedModelData: its params and the metric points logged against it. */
    public record Data(List<Map<String, String>> params, List<Map<String, Object>> metrics) {
    }

    /** MLflow's Metric message of a point logged against a model: key, value, timestamp, step, dataset, model and run. */
    private static Map<String, Object> metric(ModelMetric linked) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("key", linked.metric().key());
        json.put("value", linked.metric().value());
        json.put("timestamp", linked.metric().timestamp());
        json.put("step", linked.metric().step());
        linked.datasetName().ifPresent(name -> json.put("dataset_name", name));
        linked.datasetDigest().ifPresent(digest -> json.put("dataset_digest", digest));
        json.put("model_id", linked.modelId());
        json.put("run_id", linked.runId());
        return json;
    }

    private static List<Map<String, String>> keyValues(Map<String, String> map) {
        List<Map<String, String>> list = new ArrayList<>();
        map.forEach((key, value) -> {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("key", key);
            entry.put("value", value);
            list.add(entry);
        });
        return list;
    }
}

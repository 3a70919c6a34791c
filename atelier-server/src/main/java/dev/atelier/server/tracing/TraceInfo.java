package dev.atelier.server.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the server keeps of one trace (its spans are the artifact {@code traces.json}); {@link TraceJson} writes it
 * in either API's shape. Maps keep insertion order.
 *
 * @param requestId       MLflow 2's request_id, MLflow 3's trace_id (the same value)
 * @param executionTimeMs 0 while the trace is in progress
 * @param requestMetadata MLflow 2's request_metadata, MLflow 3's trace_metadata
 */
public record TraceInfo(String requestId, String experimentId, long timestampMs, long executionTimeMs, TraceStatus status,
                        Optional<String> clientRequestId, Optional<String> requestPreview, Optional<String> responsePreview,
                        Map<String, String> requestMetadata, Map<String, String> tags) {
    /** The tag that tells clients where the trace's artifacts are. */
    public static final String ARTIFACT_LOCATION_TAG = "mlflow.artifactLocation";
    /** The tag MLflow's clients set to the traced function's name. */
    public static final String NAME_TAG = "mlflow.traceName";

    public TraceInfo {
        requireNonNull(requestId, "requestId is null");
        requireNonNull(experimentId, "experimentId is null");
        requireNonNull(status, "status is null");
        requireNonNull(clientRequestId, "clientRequestId is null");
        requireNonNull(requestPreview, "requestPreview is null");
        requireNonNull(responsePreview, "responsePreview is null");
        requestMetadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestMetadata));
        tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** The trace's name (its root span's), when the client set one. */
    public Optional<String> name() {
        return Optional.ofNullable(tags.get(NAME_TAG));
    }

    /** Where the trace's artifacts are, such as {@code mlflow-artifacts:/1/traces/<id>/artifacts}. */
    public Optional<String> artifactLocation() {
        return Optional.ofNullable(tags.get(ARTIFACT_LOCATION_TAG));
    }
}

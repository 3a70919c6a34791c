package dev.atelier.server.tracking;

import dev.atelier.server.http.ApiRequest;

import java.util.List;

/** Reads MLflow's message shapes (key/value lists, metrics, datasets) out of a request. */
final class TrackingRequests {
    private TrackingRequests() {
    }

    /** A list of {@code {"key": ..., "value": ...}} objects; a missing value is the empty string. */
    static List<KeyValue> keyValues(ApiRequest request, String field) {
        return request.objectList(field).stream()
                .map(item -> new KeyValue(item.requiredString("key"), item.optionalString("value").orElse("")))
                .toList();
    }

    static Metric metric(ApiRequest item) {
        return new Metric(item.requiredString("key"), item.requiredDouble("value"), item.requiredLong("timestamp"),
                item.optionalLong("step").orElse(0L));
    }

    static DatasetInput datasetInput(ApiRequest item) {
        ApiRequest dataset = item.optionalObject("dataset")
                .orElseThrow(() -> dev.atelier.api.AtelierException.invalidParameter(
                        "Missing value for required parameter 'datasets.dataset'."));
        return new DatasetInput(keyValues(item, "tags"), new Dataset(
                dataset.requiredString("name"), dataset.requiredString("digest"), dataset.requiredString("source_type"),
                dataset.requiredString("source"), dataset.optionalString("schema").orElse(null),
                dataset.optionalString("profile").orElse(null)));
    }
}

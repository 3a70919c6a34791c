package dev.atelier.server.tracking;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A metric point logged in a run against an MLflow 3 logged model: log-metric's or a log-batch metric's
 * {@code model_id}, with the dataset it was computed on ({@code dataset_name}, {@code dataset_digest}) when the client
 * names one (service.proto: LogMetric, Metric). The point is the run's metric too.
 */
public record ModelMetric(String modelId, String runId, Optional<String> datasetName, Optional<String> datasetDigest, Metric metric) {
    public ModelMetric {
        requireNonNull(modelId, "modelId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(datasetName, "datasetName is null");
        requireNonNull(datasetDigest, "datasetDigest is null");
        requireNonNull(metric, "metric is null");
    }
}

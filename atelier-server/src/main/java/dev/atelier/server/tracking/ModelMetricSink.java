package dev.atelier.server.tracking;

import java.util.List;

/**
 * Where metrics logged against logged models go (MLflow 3's logged models, in another domain), so that log-metric and
 * log-batch keep the link without tracking knowing that domain. Implementations are thread-safe.
 */
public interface ModelMetricSink {
    /** For a server with no logged models: the link is dropped. */
    ModelMetricSink NONE = new ModelMetricSink() {
        @Override
        public void check(String workspace, List<ModelMetric> metrics) {
        }

        @Override
        public void record(String workspace, List<ModelMetric> metrics) {
        }
    };

    /**
     * Checks, before anything of the request is written, that these metrics can be recorded.
     *
     * @throws dev.atelier.api.AtelierException RESOURCE_DOES_NOT_EXIST for a model that is not there
     */
    void check(String workspace, List<ModelMetric> metrics);

    /** Records them, after the run's metrics were written. */
    void record(String workspace, List<ModelMetric> metrics);
}

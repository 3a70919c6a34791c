package dev.atelier.workers.automl;

import dev.atelier.workers.rest.ServerClient;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Records trials as MLflow child runs of the job's run (MLFLOW_RUN_ID) through the server's REST API. Thread-safe. */
public final class RestTracker implements Tracker {
    private final ServerClient client;
    private final String experimentId;
    private final String parentRunId;

    public RestTracker(ServerClient client, String experimentId, String parentRunId) {
        this.client = requireNonNull(client, "client is null");
        this.experimentId = requireNonNull(experimentId, "experimentId is null");
        this.parentRunId = requireNonNull(parentRunId, "parentRunId is null");
    }

    @Override
    public String startChild(String name, Map<String, String> tags) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put("mlflow.parentRunId", parentRunId);
        return client.createRun(experimentId, name, all);
    }

    @Override
    public void log(String runId, Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {
        client.logBatch(runId, metrics, params, tags);
    }

    @Override
    public void end(String runId, String status) {
        client.updateRun(runId, status);
    }

    @Override
    public void upload(String runId, Path folder, String artifactPath) {
        client.uploadArtifacts(runId, folder, artifactPath);
    }

    @Override
    public String parentRunId() {
        return parentRunId;
    }
}

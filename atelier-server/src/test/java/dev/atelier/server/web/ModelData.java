package dev.atelier.server.web;

import dev.atelier.server.testing.HttpJson;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Registers models for portal tests over MLflow's registry API, each version logged to a run first. */
final class ModelData {
    static final String MLMODEL = """
            artifact_path: model
            flavors:
              onnx:
                data: model.onnx
                onnx_version: 1.16.0
              python_function:
                loader_module: mlflow.onnx
                data: model.onnx
            signature:
              inputs: '[{"type": "tensor", "name": "features", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'
              outputs: '[{"type": "long", "name": "species", "required": true}]'
              params: '[{"name": "threshold", "type": "double", "default": 0.5, "shape": null}]'
            """;

    private final HttpJson http;
    private final PortalData runs;
    private final String prefix;

    ModelData(HttpJson http, String workspace) {
        this.http = http;
        this.runs = new PortalData(http, workspace);
        this.prefix = workspace.equals("default") ? "" : "/w/" + workspace;
    }

    void model(String name) {
        ok(http.post(prefix + "/api/2.0/mlflow/registered-models/create", Map.of("name", name)));
    }

    /** Logs a small ONNX-flavored model to a new run of {@code experimentId} and registers it; returns the run id. */
    String version(String name, String experimentId) {
        String runId = runs.run(experimentId, "train-" + name, Map.of(), Map.of());
        runs.artifact(experimentId, runId, "model/MLmodel", MLMODEL);
        runs.artifact(experimentId, runId, "model/model.onnx", "not really onnx");
        runs.finish(runId);
        ok(http.post(prefix + "/api/2.0/mlflow/model-versions/create",
                Map.of("name", name, "source", "runs:/" + runId + "/model", "run_id", runId)));
        return runId;
    }

    void call(String endpoint, Map<String, Object> body) {
        ok(http.post(prefix + "/api/2.0/mlflow/" + endpoint, body));
    }

    String experiment(String name) {
        return runs.experiment(name);
    }

    private static HttpJson.Response ok(HttpJson.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response;
    }
}

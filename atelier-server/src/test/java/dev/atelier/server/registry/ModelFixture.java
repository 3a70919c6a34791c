package dev.atelier.server.registry;

import dev.atelier.server.testing.HttpJson;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs small models to runs through the MLflow artifact proxy, as MLflow's Python client does,
 * so that registry tests register from real sources.
 */
final class ModelFixture {
    static final String API = "/api/2.0/mlflow/";
    static final String MLMODEL = """
            artifact_path: model
            flavors:
              python_function:
                env:
                  virtualenv: python_env.yaml
                loader_module: mlflow.sklearn
                model_path: model.pkl
              sklearn:
                pickled_model: model.pkl
                serialization_format: cloudpickle
            signature:
              inputs: '[{"type": "double", "name": "x", "required": true}]'
              outputs: '[{"type": "long", "required": true}]'
            """;

    private final HttpJson http;
    private final String prefix;

    /** A fixture for the workspace at {@code prefix} ("" for default, "/w/name" otherwise). */
    ModelFixture(HttpJson http, String prefix) {
        this.http = http;
        this.prefix = prefix;
    }

    ModelFixture(HttpJson http) {
        this(http, "");
    }

    /** A run in a new experiment; returns its run id. */
    String newRun(String experimentName) {
        HttpJson.Response experiment = http.post(prefix + API + "experiments/create", Map.of("name", experimentName));
        String experimentId = experiment.status() == 200 ? experiment.json().get("experiment_id").asText()
                : http.get(prefix + API + "experiments/get-by-name?experiment_name=" + experimentName).json().at("/experiment/experiment_id").asText();
        return http.post(prefix + API + "runs/create", Map.of("experiment_id", experimentId)).json().at("/run/info/run_id").asText();
    }

    /** The artifact root of a run relative to the workspace's artifact root ({@code <experiment>/<run>/artifacts}). */
    String artifactRoot(String runId) {
        String uri = http.get(prefix + API + "runs/get?run_id=" + runId).json().at("/run/info/artifact_uri").asText();
        return uri.substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
    }

    /** Logs a valid model (MLmodel, model.pkl, python_env.yaml) under {@code path} of a new run; returns {@code runs:/<run>/<path>}. */
    String logModel(String experimentName, String path) {
        String runId = newRun(experimentName);
        logModel(runId, path, MLMODEL, Map.of("model.pkl", "weights of " + runId, "python_env.yaml", "python: 3.11\n"));
        return "runs:/" + runId + "/" + path;
    }

    /** Uploads {@code files} (and an MLmodel when {@code mlmodel} is not null) under {@code path} of the run's artifacts. */
    void logModel(String runId, String path, String mlmodel, Map<String, String> files) {
        String root = artifactRoot(runId) + "/" + path;
        if (mlmodel != null) {
            upload(root + "/MLmodel", mlmodel);
        }
        files.forEach((name, content) -> upload(root + "/" + name, content));
    }

    void upload(String workspacePath, String content) {
        HttpJson.Response response = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + prefix
                        + "/api/2.0/mlflow-artifacts/artifacts/" + workspacePath))
                .PUT(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8))
                .build());
        assertThat(response.status()).as(response.text()).isEqualTo(200);
    }

    String download(String workspacePath) {
        HttpJson.Response response = http.get(prefix + "/api/2.0/mlflow-artifacts/artifacts/" + workspacePath);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.text();
    }

    /** Creates a model and one version of it from a freshly logged model; returns the source. */
    String createVersion(String name) {
        assertThat(http.post(prefix + API + "registered-models/create", Map.of("name", name)).status()).isEqualTo(200);
        String source = logModel("experiment-of-" + name, "model");
        HttpJson.Response created = http.post(prefix + API + "model-versions/create", Map.of("name", name, "source", source));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        return source;
    }
}

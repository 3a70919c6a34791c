package dev.atelier.server.components.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A designer pipeline made only of built-in components runs on the local compute in the {@code atelier} environment:
 * import a data asset, split, train, score, evaluate (metrics on the step's run), register the model and export the
 * scored table as a data asset.
 */
public class BuiltinPipelineTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofMinutes(4);

    @Test
    void importSplitTrainScoreEvaluateRegisterAndExportRunToCompletion() throws Exception {
        HttpJson http = server.http();
        registerCsv(http, "points", points(300));
        String pipeline = """
                type: pipeline
                name: designer-builtins
                experiment_name: designer-builtins
                inputs:
                  raw: {type: uri_file, path: data:points@latest}
                jobs:
                  import:
                    component: azureml:import_data@latest
                    inputs: {data: '${{parent.inputs.raw}}'}
                  split:
                    component: azureml:split_data@latest
                    inputs: {dataset: '${{parent.jobs.import.outputs.output_dataset}}', fraction: 0.7, seed: 3}
                  train:
                    component: azureml:train_model@latest
                    inputs:
                      dataset: ${{parent.jobs.split.outputs.output_dataset1}}
                      label_column: label
                      algorithm: random_forest
                      n_estimators: 20
                  score:
                    component: azureml:score_model@latest
                    inputs:
                      model: ${{parent.jobs.train.outputs.model}}
                      dataset: ${{parent.jobs.split.outputs.output_dataset2}}
                  evaluate:
                    component: azureml:evaluate_model@latest
                    inputs: {scored_dataset: '${{parent.jobs.score.outputs.scored_dataset}}'}
                  register:
                    component: azureml:register_model@latest
                    inputs: {model: '${{parent.jobs.train.outputs.model}}', model_name: designer-points}
                  export:
                    component: azureml:export_data@latest
                    inputs: {dataset: '${{parent.jobs.score.outputs.scored_dataset}}', data_name: scored-points}
                """;
        HttpJson.Response submitted = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(pipeline)).build());
        assertThat(submitted.status()).as(submitted.text()).isIn(200, 201);
        JsonNode done = awaitEnded(http, "designer-builtins");
        assertThat(done.path("status").asText()).as(() -> done + "\n" + failedLogs(http, done)).isEqualTo("Completed");

        Map<String, JsonNode> steps = new LinkedHashMap<>();
        done.path("steps").forEach(step -> steps.put(step.path("name").asText(), step));
        assertThat(steps.keySet()).containsExactlyInAnyOrder("import", "split", "train", "score", "evaluate", "register", "export");
        String runId = steps.get("evaluate").path("run_id").asText();
        JsonNode run = http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().path("run");
        Map<String, Double> metrics = new HashMap<>();
        run.path("data").path("metrics").forEach(metric -> metrics.put(metric.path("key").asText(), metric.path("value").asDouble()));
        assertThat(metrics).containsKeys("accuracy", "f1_score_macro", "AUC_weighted");
        assertThat(metrics.get("accuracy")).isGreaterThan(0.8);
        JsonNode charts = http.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=evaluation/charts").json();
        assertThat(charts.path("files").findValuesAsText("path")).contains("evaluation/charts/roc_curve.svg",
                "evaluation/charts/precision_recall_curve.json", "evaluation/charts/confusion_matrix.svg");

        JsonNode version = http.get("/api/2.0/mlflow/model-versions/get?name=designer-points&version=1").json().path("model_version");
        assertThat(version.path("run_id").asText()).isEqualTo(steps.get("register").path("run_id").asText());
        JsonNode exported = http.get("/api/v1/data/scored-points/versions/1").json();
        assertThat(exported.path("type").asText()).as(exported.toString()).isEqualTo("table");
        assertThat(exported.toString()).contains("scored_label");
    }

    @Test
    void trainWithAutoMlFeedsScoreAndEvaluateAndLogsItsTrialsUnderTheStepsRun() throws Exception {
        HttpJson http = server.http();
        registerCsv(http, "automl-points", points(200));
        String pipeline = """
                type: pipeline
                name: designer-automl
                experiment_name: designer-automl
                jobs:
                  import:
                    component: azureml:import_data@latest
                    inputs: {data: {type: uri_file, path: 'azureml:automl-points@latest'}}
                  split:
                    component: azureml:split_data@latest
                    inputs: {dataset: '${{parent.jobs.import.outputs.output_dataset}}', fraction: 0.7}
                  automl:
                    component: azureml:train_automl@latest
                    inputs:
                      dataset: ${{parent.jobs.split.outputs.output_dataset1}}
                      label_column: label
                      primary_metric: accuracy
                      max_trials: 2
                  score:
                    component: azureml:score_model@latest
                    inputs:
                      model: ${{parent.jobs.automl.outputs.model}}
                      dataset: ${{parent.jobs.split.outputs.output_dataset2}}
                  evaluate:
                    component: azureml:evaluate_model@latest
                    inputs: {scored_dataset: '${{parent.jobs.score.outputs.scored_dataset}}'}
                """;
        HttpJson.Response submitted = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/jobs"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(pipeline)).build());
        assertThat(submitted.status()).as(submitted.text()).isIn(200, 201);
        JsonNode done = awaitEnded(http, "designer-automl");
        assertThat(done.path("status").asText()).as(() -> done + "\n" + failedLogs(http, done)).isEqualTo("Completed");
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        done.path("steps").forEach(step -> steps.put(step.path("name").asText(), step));
        JsonNode evaluation = http.get("/api/2.0/mlflow/runs/get?run_id=" + steps.get("evaluate").path("run_id").asText()).json();
        Map<String, Double> metrics = new HashMap<>();
        evaluation.at("/run/data/metrics").forEach(metric -> metrics.put(metric.path("key").asText(), metric.path("value").asDouble()));
        assertThat(metrics.get("accuracy")).isGreaterThan(0.8);
        assertThat(metrics).containsKey("AUC_weighted");
        JsonNode automlRun = http.get("/api/2.0/mlflow/runs/get?run_id=" + steps.get("automl").path("run_id").asText()).json().path("run");
        JsonNode trials = http.post("/api/2.0/mlflow/runs/search", Map.of("experiment_ids", List.of(automlRun.at("/info/experiment_id").asText()),
                "filter", "tags.mlflow.parentRunId = '" + automlRun.at("/info/run_id").asText() + "'")).json();
        assertThat(trials.path("runs").size()).as(trials.toString()).isGreaterThanOrEqualTo(2);
    }

    /** The logs of the steps that failed, to say why. */
    private static String failedLogs(HttpJson http, JsonNode pipeline) {
        StringBuilder logs = new StringBuilder();
        for (JsonNode step : pipeline.path("steps")) {
            if (step.path("status").asText().equals("Failed")) {
                logs.append("--- ").append(step.path("job_name").asText()).append('\n');
                http.get("/api/v1/jobs/" + step.path("job_name").asText() + "/logs").json().path("lines")
                        .forEach(line -> logs.append(line.isTextual() ? line.asText() : line.path("line").asText()).append('\n'));
            }
        }
        return logs.toString();
    }

    private static JsonNode awaitEnded(HttpJson http, String name) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            JsonNode job = http.get("/api/v1/jobs/" + name).json();
            String status = job.path("status").asText();
            if (status.equals("Completed") || status.equals("Failed") || status.equals("Canceled") || Instant.now().isAfter(deadline)) {
                return job;
            }
            Thread.sleep(200);
        }
    }

    /** Points (x0, x1) with label yes when x0 + x1 > 1. */
    public static String points(int rows) {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder("x0,x1,label\n");
        for (int i = 0; i < rows; i++) {
            double x0 = random.nextDouble();
            double x1 = random.nextDouble();
            text.append(x0).append(',').append(x1).append(',').append(x0 + x1 > 1 ? "yes" : "no").append('\n');
        }
        return text.toString();
    }

    public static void registerCsv(HttpJson http, String name, String content) {
        HttpJson.Response started = http.post("/api/v1/data-uploads", Map.of());
        assertThat(started.status()).as(started.text()).isEqualTo(201);
        String uploadId = started.json().get("upload_id").asText();
        HttpJson.Response appended = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/v1/data-uploads/" + uploadId
                        + "/files/" + name + ".csv?offset=0"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content.getBytes(StandardCharsets.UTF_8))).build());
        assertThat(appended.status()).as(appended.text()).isEqualTo(200);
        HttpJson.Response created = http.post("/api/v1/data", Map.of("name", name, "type", "uri_file", "upload_id", uploadId));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
    }
}

package dev.atelier.server.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** MLflow tracking semantics over raw HTTP, shaped as MLflow's Python client sends requests. */
class TrackingApiTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final HttpJson http = server.http();

    private static String newExperiment() {
        return http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "api-" + System.nanoTime()))
                .json().get("experiment_id").asText();
    }

    private static String newRun(String experimentId) {
        return http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "start_time", 1000))
                .json().at("/run/info/run_id").asText();
    }

    private static void logPoints(String runId, String key, int count) {
        for (int start = 0; start < count; start += 1000) {
            List<Map<String, Object>> metrics = new ArrayList<>();
            for (int step = start; step < Math.min(count, start + 1000); step++) {
                metrics.add(Map.of("key", key, "value", step * 0.5, "timestamp", 1000 + step, "step", step));
            }
            assertThat(http.post("/api/2.0/mlflow/runs/log-batch", Map.of("run_id", runId, "metrics", metrics)).status()).isEqualTo(200);
        }
    }

    @Test
    void defaultExperimentExistsAndExperimentsNumberFromOne() {
        JsonNode defaultExperiment = http.get("/api/2.0/mlflow/experiments/get?experiment_id=0").json().get("experiment");
        assertThat(defaultExperiment.get("name").asText()).isEqualTo("Default");
        assertThat(defaultExperiment.get("artifact_location").asText()).isEqualTo("mlflow-artifacts:/0");
        assertThat(Long.parseLong(newExperiment())).isPositive();
    }

    @Test
    void runNamesComeFromTheRequestTheTagOrAreGenerated() {
        String experimentId = newExperiment();
        JsonNode named = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "run_name", "given"))
                .json().at("/run");
        assertThat(named.at("/info/run_name").asText()).isEqualTo("given");
        assertThat(named.at("/data/tags").toString()).contains("\"key\":\"mlflow.runName\",\"value\":\"given\"");
        JsonNode tagged = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId,
                "tags", List.of(Map.of("key", "mlflow.runName", "value", "from-tag")))).json().at("/run");
        assertThat(tagged.at("/info/run_name").asText()).isEqualTo("from-tag");
        JsonNode generated = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId)).json().at("/run");
        assertThat(generated.at("/info/run_name").asText()).matches("[a-z]+-[a-z]+-\\d+");
        assertThat(generated.get("inputs").isObject()).isTrue();
    }

    @Test
    void nonFiniteMetricValuesAreWrittenAsStrings() {
        String runId = newRun(newExperiment());
        http.post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", runId, "key", "nan", "value", "NaN", "timestamp", 1));
        http.post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", runId, "key", "inf", "value", "Infinity", "timestamp", 1));
        http.post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", runId, "key", "ninf", "value", "-Infinity", "timestamp", 1));
        String text = http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).text();
        assertThat(text).contains("\"value\":\"NaN\"").contains("\"value\":\"Infinity\"").contains("\"value\":\"-Infinity\"");
    }

    @Test
    void latestMetricIsTheOneWithTheGreatestStep() {
        String runId = newRun(newExperiment());
        http.post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 5, "timestamp", 10, "step", 2));
        http.post("/api/2.0/mlflow/runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 7, "timestamp", 20, "step", 1));
        JsonNode metric = http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().at("/run/data/metrics/0");
        assertThat(metric.get("value").asDouble()).isEqualTo(5.0);
        assertThat(metric.get("step").asLong()).isEqualTo(2);
    }

    @Test
    void metricHistoryIsOrderedAndPaged() {
        String runId = newRun(newExperiment());
        logPoints(runId, "loss", 2500);
        JsonNode all = http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss&max_results=25000").json();
        assertThat(all.get("metrics")).hasSize(2500);
        assertThat(all.has("next_page_token")).isFalse();
        assertThat(all.at("/metrics/2499/step").asLong()).isEqualTo(2499);

        JsonNode first = http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss&max_results=1000").json();
        assertThat(first.get("metrics")).hasSize(1000);
        String token = first.get("next_page_token").asText();
        JsonNode second = http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + runId + "&metric_key=loss&max_results=1000&page_token="
                + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)).json();
        assertThat(second.at("/metrics/0/step").asLong()).isEqualTo(1000);
    }

    @Test
    void bulkIntervalSamplesStepsKeepingFirstAndLast() {
        String experimentId = newExperiment();
        String runA = newRun(experimentId);
        String runB = newRun(experimentId);
        logPoints(runA, "loss", 1000);
        logPoints(runB, "loss", 10);
        JsonNode metrics = http.get("/api/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=" + runA + "&run_ids=" + runB
                + "&metric_key=loss&max_results=20").json().get("metrics");
        List<Long> stepsOfA = new ArrayList<>();
        int pointsOfB = 0;
        for (JsonNode metric : metrics) {
            if (metric.get("run_id").asText().equals(runA)) {
                stepsOfA.add(metric.get("step").asLong());
            } else {
                pointsOfB++;
            }
        }
        assertThat(stepsOfA).hasSize(20).startsWith(0L).endsWith(999L).isSorted();
        assertThat(pointsOfB).isEqualTo(10);
    }

    @Test
    void loggedInputsAppearOnTheRun() {
        String runId = newRun(newExperiment());
        Map<String, Object> dataset = Map.of("name", "iris", "digest", "abc123", "source_type", "local", "source", "{\"uri\": \"/data/iris.csv\"}");
        assertThat(http.post("/api/2.0/mlflow/runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(
                Map.of("tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")), "dataset", dataset)))).status()).isEqualTo(200);
        JsonNode inputs = http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().at("/run/inputs/dataset_inputs");
        assertThat(inputs).hasSize(1);
        assertThat(inputs.at("/0/dataset/name").asText()).isEqualTo("iris");
        assertThat(inputs.at("/0/tags/0/value").asText()).isEqualTo("training");
    }

    @Test
    void loggedModelsAreKeptInTheHistoryTag() {
        String runId = newRun(newExperiment());
        String model = "{\"run_id\": \"" + runId + "\", \"artifact_path\": \"model\", \"utc_time_created\": \"2026-01-01 00:00:00\", \"flavors\": {}}";
        assertThat(http.post("/api/2.0/mlflow/runs/log-model", Map.of("run_id", runId, "model_json", model)).status()).isEqualTo(200);
        assertThat(http.post("/api/2.0/mlflow/runs/log-model", Map.of("run_id", runId, "model_json", model)).status()).isEqualTo(200);
        JsonNode tags = http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().at("/run/data/tags");
        String history = "";
        for (JsonNode tag : tags) {
            if (tag.get("key").asText().equals("mlflow.log-model.history")) {
                history = tag.get("value").asText();
            }
        }
        assertThat(HttpJson.parse(history)).hasSize(2);
        assertThat(http.post("/api/2.0/mlflow/runs/log-model", Map.of("run_id", runId, "model_json", "{}")).errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void deletingAnExperimentDeletesItsRunsAndRestoringBringsThemBack() {
        String experimentId = newExperiment();
        String runId = newRun(experimentId);
        http.post("/api/2.0/mlflow/experiments/delete", Map.of("experiment_id", experimentId));
        assertThat(http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().at("/run/info/lifecycle_stage").asText()).isEqualTo("deleted");
        http.post("/api/2.0/mlflow/experiments/restore", Map.of("experiment_id", experimentId));
        assertThat(http.get("/api/2.0/mlflow/runs/get?run_id=" + runId).json().at("/run/info/lifecycle_stage").asText()).isEqualTo("active");
        assertThat(http.post("/api/2.0/mlflow/experiments/delete", Map.of("experiment_id", "0")).errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void experimentTagsCanBeSetAndDeleted() {
        String experimentId = newExperiment();
        http.post("/api/2.0/mlflow/experiments/set-experiment-tag", Map.of("experiment_id", experimentId, "key", "k", "value", "v"));
        assertThat(http.get("/api/2.0/mlflow/experiments/get?experiment_id=" + experimentId).json().at("/experiment/tags/0/key").asText())
                .isEqualTo("k");
        http.post("/api/2.0/mlflow/experiments/delete-experiment-tag", Map.of("experiment_id", experimentId, "key", "k"));
        assertThat(http.get("/api/2.0/mlflow/experiments/get?experiment_id=" + experimentId).json().at("/experiment").has("tags")).isFalse();
    }

    @Test
    void theAjaxApiPrefixAnswersTheSame() {
        String experimentId = newExperiment();
        assertThat(http.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + experimentId).json().at("/experiment/experiment_id").asText())
                .isEqualTo(experimentId);
    }

    @Test
    void doubleEncodedJsonBodiesAreAccepted() {
        String body = HttpJson.toJson(HttpJson.toJson(Map.of("name", "double-encoded")));
        assertThat(http.post("/api/2.0/mlflow/experiments/create", body).status()).isEqualTo(200);
    }

    @Test
    void artifactsListShowsARunsFilesRelativeToItsRoot() {
        String experimentId = newExperiment();
        String runId = newRun(experimentId);
        for (String file : List.of("model/MLmodel", "model/model.pkl", "notes.txt")) {
            String path = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + file;
            assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build()).status()).isEqualTo(200);
        }
        JsonNode root = http.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId).json();
        assertThat(root.get("root_uri").asText()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");
        assertThat(root.get("files").toString()).isEqualTo(
                "[{\"path\":\"model\",\"is_dir\":true},{\"path\":\"notes.txt\",\"is_dir\":false,\"file_size\":1}]");
        JsonNode model = http.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=model").json();
        assertThat(model.get("files").findValuesAsText("path")).containsExactly("model/MLmodel", "model/model.pkl");
        assertThat(http.get("/api/2.0/mlflow/artifacts/list?run_id=" + runId + "&path=../../x").errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
    }
}

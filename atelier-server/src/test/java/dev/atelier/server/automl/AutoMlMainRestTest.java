package dev.atelier.server.automl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.batch.BatchFixture;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Table;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import dev.atelier.workers.automl.AutoMlMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AutoML engine's program ({@code dev.atelier.workers.automl.AutoMlMain}) against a real server, in-process, with
 * the variables a command job gets: trials become child runs of the job's run over MLflow's REST API, the best run
 * gets its model through the artifact proxy, and that model, downloaded, loads through the endpoints' runtimes and
 * answers what the job wrote in test_predictions.csv, as it does registered behind a batch endpoint with a no-code
 * deployment. (The job kind itself is tested by the AutoML job's tests.)
 */
class AutoMlMainRestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;
    private static HttpJson http;

    @TempDir
    Path folder;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        http = server.http();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void trialsAreChildRunsAndTheBestRunsModelLoadsAndPredictsAsTheJobDid() throws Exception {
        String experimentId = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "automl-rest")).json()
                .path("experiment_id").asText();
        String parentRunId = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "run_name", "automl-job"))
                .json().path("run").path("info").path("run_id").asText();
        Path train = blobs(folder.resolve("train.csv"), 240, 1);
        Path test = blobs(folder.resolve("test.csv"), 60, 2);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("task", "classification");
        spec.put("target_column_name", "kind");
        spec.put("training_data", train.toString());
        spec.put("test_data", test.toString());
        spec.put("seed", 3);
        spec.put("limits", Map.of("max_trials", 3, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("LogisticRegression", "DecisionTree", "KNN"),
                "enable_model_explainability", false));
        Path specFile = folder.resolve("spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        Path outputs = folder.resolve("outputs");

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(log, true, StandardCharsets.UTF_8);
        int code = AutoMlMain.run(new String[] {"--spec", specFile.toString(), "--outputs", outputs.toString()},
                Map.of("MLFLOW_TRACKING_URI", server.url(), "MLFLOW_RUN_ID", parentRunId, "MLFLOW_EXPERIMENT_ID", experimentId),
                stream, stream);
        assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();

        JsonNode result = JSON.readTree(outputs.resolve("automl_result.json").toFile());
        String bestRunId = result.path("best_run_id").asText();
        assertThat(result.path("trials")).hasSize(5);
        for (JsonNode trial : result.path("trials")) {
            JsonNode run = http.get("/api/2.0/mlflow/runs/get?run_id=" + trial.path("run_id").asText()).json().path("run");
            assertThat(tags(run)).containsEntry("mlflow.parentRunId", parentRunId);
            assertThat(run.path("info").path("run_name").asText()).isEqualTo(trial.path("name").asText());
            assertThat(run.path("info").path("status").asText()).isEqualTo("FINISHED");
        }
        JsonNode best = http.get("/api/2.0/mlflow/runs/get?run_id=" + bestRunId).json().path("run");
        assertThat(metrics(best)).containsKeys("AUC_weighted", "accuracy", "test_accuracy");
        JsonNode parent = http.get("/api/2.0/mlflow/runs/get?run_id=" + parentRunId).json().path("run");
        assertThat(tags(parent)).containsEntry("automl.best_run_id", bestRunId).containsEntry("automl.primary_metric", "AUC_weighted");

        String root = best.path("info").path("artifact_uri").asText().replaceFirst("^mlflow-artifacts:/+", "");
        Path model = download(root + "/model", folder.resolve("downloaded/model"));
        List<String> predictions = new String(bytes(root + "/test_predictions.csv"), StandardCharsets.UTF_8).lines().toList();
        List<String> header = List.of(predictions.get(0).split(","));
        List<String> testLines = Files.readAllLines(test);
        List<List<Object>> rows = new ArrayList<>();
        for (String line : testLines.subList(1, testLines.size())) {
            String[] cells = line.split(",");
            rows.add(List.of(Double.parseDouble(cells[0]), Double.parseDouble(cells[1]), cells[2]));
        }
        try (ModelRuntime runtime = ModelRuntimes.standard().load(model)) {
            Table answer = (Table) runtime.predict(new Table(List.of("x", "y", "kind"), rows));
            for (int i = 0; i < rows.size(); i++) {
                String[] cells = predictions.get(i + 1).split(",");
                assertThat(answer.rows().get(i).get(0)).isEqualTo(cells[header.indexOf("label")]);
                assertThat((Double) answer.rows().get(i).get(1)).isEqualTo(Double.parseDouble(cells[header.indexOf("probability:east")]));
            }
        }

        // registered, behind a batch endpoint with a no-code deployment, on a folder of two CSV files of the test rows:
        // every row's answer is the job's
        http.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "blobs"));
        HttpJson.Response version = http.post("/api/2.0/mlflow/model-versions/create", Map.of("name", "blobs",
                "source", "runs:/" + bestRunId + "/model", "run_id", bestRunId));
        assertThat(version.status()).as(version.text()).isEqualTo(200);
        BatchFixture batch = new BatchFixture(http);
        batch.uploadFolder("blobs-unscored", Map.of("a.csv", String.join("\n", testLines.subList(0, 31)) + "\n",
                "b.csv", testLines.getFirst() + "\n" + String.join("\n", testLines.subList(31, testLines.size())) + "\n"));
        batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: blobs\n"));
        batch.created(batch.postYaml("/api/v1/batch-endpoints/blobs/deployments", "name: best\nmodel: models:/blobs/1\n"
                + "settings: {mini_batch_size: 20}\n"));
        JsonNode ended = batch.awaitEnded(batch.invoke("blobs", Map.of("input", Map.of("type", "uri_folder",
                "path", "azureml:blobs-unscored@latest"))).path("name").asText(), java.time.Duration.ofMinutes(3));
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("Completed");
        List<String> scored = http.get("/api/v1/data/blobs-predictions/versions/1/files/predictions.csv").text().lines().toList();
        assertThat(scored.getFirst()).isEqualTo("file,row,label,probability:east,probability:west");
        assertThat(scored).hasSize(61);
        for (String line : scored.subList(1, scored.size())) {
            String[] cells = line.split(",");
            int row = Integer.parseInt(cells[1]) + (cells[0].equals("b.csv") ? 30 : 0);
            String[] expected = predictions.get(row + 1).split(",");
            assertThat(cells[2]).as(line).isEqualTo(expected[header.indexOf("label")]);
            assertThat(Double.parseDouble(cells[3])).as(line).isEqualTo(Double.parseDouble(expected[header.indexOf("probability:east")]));
            assertThat(Double.parseDouble(cells[4])).as(line).isEqualTo(Double.parseDouble(expected[header.indexOf("probability:west")]));
        }
    }

    /** Two noisy blobs: "east" around (2, 0), "west" around (-2, 0). */
    private static Path blobs(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(List.of("x,y,kind"));
        for (int i = 0; i < rows; i++) {
            boolean east = random.nextBoolean();
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%s", (east ? 2 : -2) + 1.5 * random.nextGaussian(), random.nextGaussian(),
                    east ? "east" : "west"));
        }
        Files.write(file, lines);
        return file;
    }

    private static Map<String, String> tags(JsonNode run) {
        Map<String, String> tags = new LinkedHashMap<>();
        run.path("data").path("tags").forEach(tag -> tags.put(tag.path("key").asText(), tag.path("value").asText()));
        return tags;
    }

    private static Map<String, Double> metrics(JsonNode run) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        run.path("data").path("metrics").forEach(metric -> metrics.put(metric.path("key").asText(), metric.path("value").asDouble()));
        return metrics;
    }

    /** Copies an artifact folder through the proxy's listing and downloads. */
    private static Path download(String path, Path target) throws Exception {
        Files.createDirectories(target);
        for (JsonNode file : http.get("/api/2.0/mlflow-artifacts/artifacts?path=" + path).json().path("files")) {
            String name = file.path("path").asText();
            if (file.path("is_dir").asBoolean()) {
                download(path + "/" + name, target.resolve(name));
            } else {
                Files.write(target.resolve(name), bytes(path + "/" + name));
            }
        }
        return target;
    }

    private static byte[] bytes(String path) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}

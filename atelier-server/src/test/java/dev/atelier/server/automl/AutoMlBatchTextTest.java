package dev.atelier.server.automl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.batch.BatchFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.TestServer;
import dev.atelier.workers.automl.AutoMlMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
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
 * An AutoML model with a category column and a text column, registered behind a batch endpoint with a no-code
 * deployment: the CSV rows are read as text (quoted fields with commas too) and the model answers every row as the job
 * did in test_predictions.csv.
 */
class AutoMlBatchTextTest {
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
    void aNoCodeBatchDeploymentGivesAModelItsTextAndCategoryColumnsAsText() throws Exception {
        String experimentId = http.post("/api/2.0/mlflow/experiments/create", Map.of("name", "automl-text")).json()
                .path("experiment_id").asText();
        String parentRunId = http.post("/api/2.0/mlflow/runs/create", Map.of("experiment_id", experimentId, "run_name", "automl-job"))
                .json().path("run").path("info").path("run_id").asText();
        Path train = tickets(folder.resolve("train.csv"), 240, 1);
        Path test = tickets(folder.resolve("test.csv"), 40, 2);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("task", "classification");
        spec.put("target_column_name", "urgent");
        spec.put("training_data", train.toString());
        spec.put("test_data", test.toString());
        spec.put("seed", 3);
        spec.put("featurization", Map.of("mode", "custom", "column_name_and_types", Map.of("team", "categorical", "note", "text")));
        spec.put("limits", Map.of("max_trials", 2, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("LogisticRegression", "DecisionTree"),
                "enable_model_explainability", false));
        Path specFile = folder.resolve("spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(log, true, StandardCharsets.UTF_8);
        int code = AutoMlMain.run(new String[] {"--spec", specFile.toString(), "--outputs", folder.resolve("outputs").toString()},
                Map.of("MLFLOW_TRACKING_URI", server.url(), "MLFLOW_RUN_ID", parentRunId, "MLFLOW_EXPERIMENT_ID", experimentId),
                stream, stream);
        assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isZero();
        String bestRunId = JSON.readTree(folder.resolve("outputs/automl_result.json").toFile()).path("best_run_id").asText();
        String root = http.get("/api/2.0/mlflow/runs/get?run_id=" + bestRunId).json().path("run").path("info").path("artifact_uri")
                .asText().replaceFirst("^mlflow-artifacts:/+", "");
        List<String> predictions = artifact(root + "/test_predictions.csv").lines().toList();
        assertThat(artifact(root + "/model/MLmodel")).contains("string");

        http.post("/api/2.0/mlflow/registered-models/create", Map.of("name", "tickets"));
        HttpJson.Response version = http.post("/api/2.0/mlflow/model-versions/create", Map.of("name", "tickets",
                "source", "runs:/" + bestRunId + "/model", "run_id", bestRunId));
        assertThat(version.status()).as(version.text()).isEqualTo(200);
        BatchFixture batch = new BatchFixture(http);
        batch.uploadFolder("tickets-unscored", Map.of("a.csv", Files.readString(test)));
        batch.created(batch.postYaml("/api/v1/batch-endpoints", "name: tickets\n"));
        batch.created(batch.postYaml("/api/v1/batch-endpoints/tickets/deployments", "name: best\nmodel: models:/tickets/1\n"
                + "settings: {mini_batch_size: 15}\n"));
        JsonNode ended = batch.awaitEnded(batch.invoke("tickets", Map.of("input", Map.of("type", "uri_folder",
                "path", "azureml:tickets-unscored@latest"))).path("name").asText(), java.time.Duration.ofMinutes(3));
        assertThat(ended.path("status").asText()).as(ended.toString()).isEqualTo("Completed");
        List<String> scored = http.get("/api/v1/data/tickets-predictions/versions/1/files/predictions.csv").text().lines().toList();
        assertThat(scored.getFirst()).isEqualTo("file,row,label,probability:no,probability:yes");
        assertThat(scored).hasSize(41);
        // test_predictions.csv ends with label,probability:no,probability:yes on each row
        for (String line : scored.subList(1, scored.size())) {
            String[] cells = line.split(",");
            String expected = predictions.get(Integer.parseInt(cells[1]) + 1);
            String[] tail = expected.split(","); // read from the end: the quoted team may hold a comma
            int n = tail.length;
            assertThat(cells[2]).as(line).isEqualTo(tail[n - 3]);
            assertThat(Double.parseDouble(cells[4])).as(line).isEqualTo(Double.parseDouble(tail[n - 1]));
        }
    }

    /**
     * Support tickets: {@code team} (a category, one of them written with a comma and so quoted), {@code note} (a few
     * words; "outage" or "down" in it makes the ticket urgent), {@code minutes} (noise), {@code urgent} yes or no.
     */
    private static Path tickets(Path file, int rows, long seed) throws Exception {
        Random random = new Random(seed);
        String[] teams = {"billing", "\"network, core\"", "web"};
        String[] calm = {"question about invoice", "please update address", "feature request for export", "password reset help"};
        String[] alarm = {"site down since noon", "major outage in region", "database down again", "outage on checkout"};
        List<String> lines = new ArrayList<>(List.of("team,note,minutes,urgent"));
        for (int i = 0; i < rows; i++) {
            boolean urgent = random.nextBoolean();
            String note = urgent ? alarm[random.nextInt(alarm.length)] : calm[random.nextInt(calm.length)];
            lines.add(String.format(Locale.ROOT, "%s,%s,%d,%s", teams[random.nextInt(teams.length)], note, random.nextInt(90),
                    urgent ? "yes" : "no"));
        }
        Files.write(file, lines);
        return file;
    }

    private static String artifact(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.url() + "/api/2.0/mlflow-artifacts/artifacts/" + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }
}

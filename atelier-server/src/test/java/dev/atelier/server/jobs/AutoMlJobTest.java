package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.serving.ServingFixture;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * AutoML jobs end to end (docs/automl.md): a real server runs the engine ({@code AutoMlMain}) as a sandboxed workload in the
 * {@code atelier} environment on generated table data assets. The best model beats the majority-class / mean baseline by a
 * stated margin, its trials are child runs with metrics, the job's result holds the leaderboard, the best model registered
 * from {@code runs:/<best>/model} answers through an online endpoint as the job predicted on the test data, a seed
 * reproduces the leaderboard, the time budget ends the search, and cancel stops the workload.
 */
class AutoMlJobTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();
    private static final Duration WAIT = Duration.ofMinutes(6);
    private static final String MLFLOW = "/api/2.0/mlflow/";

    @TempDir
    static Path scratch;

    private final HttpJson http = server.http();
    private final JobsFixture jobs = new JobsFixture(http);

    @BeforeAll
    static void tables() {
        AutoMlBadInputTest.upload(server.http(), "moons-train", "table", "train.csv", classification(400, 1));
        AutoMlBadInputTest.upload(server.http(), "moons-test", "table", "test.csv", classification(80, 2));
        AutoMlBadInputTest.upload(server.http(), "sales-train", "table", "train.csv", regression(400, 3));
    }

    @Test
    void classificationBeatsTheMajorityClassAndItsRegisteredModelAnswersAsTheJobPredicted() {
        String yaml = """
                type: automl
                name: %s
                experiment_name: automl-moons
                task: classification
                primary_metric: accuracy
                target_column_name: outcome
                training_data: {type: mltable, path: azureml:moons-train@latest}
                test_data: {type: mltable, path: azureml:moons-test:1}
                n_cross_validations: 3
                seed: 42
                limits: {timeout_minutes: 10, max_trials: 5}
                training: {enable_model_explainability: false}
                """;
        JsonNode job = completed(jobs.submit(yaml.formatted("automl-moons")).path("name").asText());
        JsonNode result = job.path("result");
        assertThat(result.path("primary_metric").asText()).isEqualToIgnoringCase("accuracy");
        double majority = 0.5 + Math.abs(classificationYesShare(400, 1) - 0.5);
        assertThat(result.path("best_score").asDouble()).as("best accuracy vs the majority class's %s", majority)
                .isGreaterThan(majority + 0.15);
        String best = result.path("best_run_id").asText();
        List<JsonNode> children = childRuns(job);
        assertThat(children).as("trials are child runs of the job's run").hasSizeGreaterThanOrEqualTo(2);
        assertThat(children).allSatisfy(run -> assertThat(run.toString()).contains("accuracy"));
        assertThat(children).extracting(run -> run.at("/info/run_id").asText()).contains(best);
        assertThat(result.path("trials").get(0).path("score").asDouble()).as("the leaderboard is best first")
                .isEqualTo(result.path("best_score").asDouble());

        JsonNode again = completed(jobs.submit(yaml.formatted("automl-moons-again")).path("name").asText());
        assertThat(leaderboard(again.path("result"))).as("the same seed gives the same leaderboard").isEqualTo(leaderboard(result));

        ServingFixture serving = new ServingFixture(http, scratch);
        register("moons-best", best);
        serving.createEndpoint("name: moons\nauth_mode: key\n");
        serving.createDeployment("moons", "name: blue\nmodel: models:/moons-best/1\ninstance_count: 1\n");
        assertThat(serving.awaitProvisioned("moons", "blue").path("provisioning_state").asText()).isEqualTo("Succeeded");
        List<Map<String, String>> predicted = csv(artifact(best, "test_predictions.csv"));
        assertThat(predicted).hasSize(80);
        HttpJson.Response answer = serving.score("moons", "/invocations", serving.primaryKey("moons"), "text/csv", withoutColumn(
                classification(80, 2), "outcome"));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        JsonNode predictions = answer.json().path("predictions");
        assertThat(predictions).hasSize(80);
        for (int i = 0; i < 80; i++) {
            assertThat(predictions.get(i).path("label").asText()).as("row %d", i).isEqualTo(predicted.get(i).get("label"));
            assertThat(predictions.get(i).path("probability:yes").asDouble()).as("row %d", i)
                    .isCloseTo(Double.parseDouble(predicted.get(i).get("probability:yes")), within(1e-4));
        }
    }

    @Test
    void regressionBeatsTheMeanAndTheJobShowsItsLeaderboard() {
        JsonNode job = completed(jobs.submit("""
                type: automl
                name: automl-sales
                task: regression
                primary_metric: r2_score
                target_column_name: y
                training_data: {type: mltable, path: azureml:sales-train@latest}
                validation_data_size: 0.25
                seed: 7
                limits: {timeout_minutes: 10, max_trials: 4}
                training: {enable_model_explainability: false, enable_stack_ensemble: false}
                """).path("name").asText());
        JsonNode result = job.path("result");
        assertThat(result.path("primary_metric").asText()).isEqualTo("r2_score");
        assertThat(result.path("best_score").asDouble()).as("r2 of the mean is 0").isGreaterThan(0.6);
        assertThat(childRuns(job)).allSatisfy(run -> assertThat(run.toString()).contains("r2_score"));
        String page = http.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/jobs/automl-sales")).header("Accept", "text/html")
                .GET().build()).text();
        assertThat(page).contains("id=\"leaderboard\"", "class=\"best\"", "runs:/" + result.path("best_run_id").asText() + "/model");

        // the best run's charts are on the page as images of its SVG artifacts, which the portal serves
        List<String> images = new ArrayList<>();
        java.util.regex.Matcher image = java.util.regex.Pattern.compile("<img src=\"([^\"]+)\" alt=\"([^\"]+)\"")
                .matcher(page.substring(page.indexOf("id=\"automl-charts\"")));
        while (image.find()) {
            images.add(image.group(2) + " " + image.group(1).replace("&amp;", "&"));
        }
        String runs = "/runs/" + result.path("best_run_id").asText() + "/download?path=charts%2F";
        assertThat(images).containsExactly("Residuals " + runs + "residuals.svg", "Predicted vs. true " + runs + "predicted_vs_true.svg");
        for (String shown : images) {
            HttpJson.Response svg = http.get(shown.substring(shown.indexOf(" /runs/") + 1));
            assertThat(svg.status()).as(shown).isEqualTo(200);
            assertThat(svg.text()).startsWith("<svg");
        }
    }

    @Test
    void theTimeBudgetEndsTheSearchAndCancelStopsTheWorkload() {
        jobs.submit("""
                type: automl
                name: automl-budget
                task: classification
                target_column_name: outcome
                training_data: {type: mltable, path: azureml:moons-train@latest}
                limits: {timeout_minutes: 1}
                training: {enable_model_explainability: false}
                """);
        JsonNode job = jobs.awaitEnded("automl-budget", WAIT);
        assertThat(job.path("status").asText()).as(String.join("\n", jobs.logLines("automl-budget"))).isEqualTo("Completed");
        long seconds = (job.path("ended_at").asLong() - job.path("started_at").asLong()) / 1000;
        assertThat(seconds).as("a 1-minute budget, with a generous margin for ensembles and uploads on a busy machine")
                .isLessThan(60 + 120);
        assertThat(job.path("result").path("trials").size()).as("the budget, not max_trials (1000), ended it").isLessThan(1000);

        jobs.submit("""
                type: automl
                name: automl-canceled
                task: classification
                target_column_name: outcome
                training_data: {type: mltable, path: azureml:moons-train@latest}
                limits: {timeout_minutes: 30}
                """);
        jobs.awaitStatus("automl-canceled", "Running", WAIT);
        assertThat(http.post("/api/v1/jobs/automl-canceled/cancel", Map.of()).status()).isEqualTo(200);
        assertThat(jobs.awaitEnded("automl-canceled", Duration.ofSeconds(60)).path("status").asText()).isEqualTo("Canceled");
    }

    private JsonNode completed(String name) {
        JsonNode job = jobs.awaitEnded(name, WAIT);
        assertThat(job.path("status").asText()).as(String.join("\n", jobs.logLines(name))).isEqualTo("Completed");
        assertThat(job.path("result").path("best_run_id").asText()).isNotBlank();
        return job;
    }

    private List<JsonNode> childRuns(JsonNode job) {
        JsonNode found = http.post(MLFLOW + "runs/search", Map.of("experiment_ids", List.of(job.path("experiment_id").asText()),
                "filter", "tags.mlflow.parentRunId = '" + job.path("run_id").asText() + "'", "max_results", 1000)).json();
        List<JsonNode> runs = new ArrayList<>();
        found.path("runs").forEach(runs::add);
        return runs;
    }

    /** Each trial as algorithm and score, best first. */
    private static List<String> leaderboard(JsonNode result) {
        List<String> rows = new ArrayList<>();
        result.path("trials").forEach(trial -> rows.add(trial.path("algorithm").asText() + " " + trial.path("score").asText()));
        return rows;
    }

    private void register(String name, String runId) {
        http.post(MLFLOW + "registered-models/create", Map.of("name", name));
        HttpJson.Response version = http.post(MLFLOW + "model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model",
                "run_id", runId));
        assertThat(version.status()).as(version.text()).isEqualTo(200);
    }

    private String artifact(String runId, String path) {
        String root = jobs.run(runId).at("/info/artifact_uri").asText().substring("mlflow-artifacts:/".length()).replaceFirst("^/+", "");
        HttpJson.Response file = http.get("/api/2.0/mlflow-artifacts/artifacts/" + root + "/" + path);
        assertThat(file.status()).as(file.text()).isEqualTo(200);
        return file.text();
    }

    private static List<Map<String, String>> csv(String text) {
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        List<String> header = Arrays.asList(lines.getFirst().split(",", -1));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i).replace("\"", ""), values[i].replace("\"", ""));
            }
            rows.add(row);
        }
        return rows;
    }

    private static String withoutColumn(String csv, String column) {
        List<String> lines = csv.lines().toList();
        int index = Arrays.asList(lines.getFirst().split(",")).indexOf(column);
        StringBuilder kept = new StringBuilder();
        for (String line : lines) {
            List<String> values = new ArrayList<>(Arrays.asList(line.split(",", -1)));
            values.remove(index);
            kept.append(String.join(",", values)).append('\n');
        }
        return kept.toString();
    }

    /** outcome = yes when x1 + x2 (and a little noise, and the region) says so; a noise column and a categorical one. */
    static String classification(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,noise,region,outcome\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            String region = List.of("north", "south", "east").get(random.nextInt(3));
            double logit = 2.5 * x1 - 2 * x2 * x2 + 1.5 + (region.equals("east") ? 1 : 0) + 0.3 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%s,%s%n", x1, x2, random.nextGaussian(), region,
                    logit > 0 ? "yes" : "no"));
        }
        return csv.toString();
    }

    private static double classificationYesShare(int rows, long seed) {
        return classification(rows, seed).lines().skip(1).filter(line -> line.endsWith(",yes")).count() / (double) rows;
    }

    /** y = 3 x1 - 2 x2 + 2 sin(3 x3) + 1.5 [group = g2] + noise. */
    static String regression(int rows, long seed) {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,x3,group,y\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian();
            double x2 = random.nextGaussian();
            double x3 = 2 * random.nextDouble() - 1;
            String group = "g" + random.nextInt(3);
            double y = 3 * x1 - 2 * x2 + 2 * Math.sin(3 * x3) + (group.equals("g2") ? 1.5 : 0) + 0.3 * random.nextGaussian();
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%s,%.4f%n", x1, x2, x3, group, y));
        }
        return csv.toString();
    }
}

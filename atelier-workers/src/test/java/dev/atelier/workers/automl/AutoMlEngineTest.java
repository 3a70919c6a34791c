package dev.atelier.workers.automl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** AutoMlMain in-process on generated data, with runs recorded by {@link FolderTracker} (no server). */
class AutoMlEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void classificationBeatsTheMajorityClassAndItsSavedModelPredictsAsTheJobDid() throws IOException {
        Path train = GeneratedData.moons(folder.resolve("train.csv"), 400, 1);
        Path test = GeneratedData.moons(folder.resolve("test.csv"), 200, 2);
        Map<String, Object> spec = spec("classification", "label", train);
        spec.put("test_data", test.toString());
        spec.put("primary_metric", "accuracy");
        spec.put("limits", Map.of("max_trials", 8, "max_cores_per_trial", 1));
        AutoMlResult result = run(spec, 0);

        // balanced classes: a majority-class model is right about half of the time
        assertThat(result.bestScore()).isGreaterThan(0.5 + 0.3);
        assertThat(result.trials()).extracting(AutoMlResult.Trial::algorithm).contains("XGBoostClassifier", "RandomForest",
                "ExtremeRandomTrees", "LogisticRegression", "DecisionTree", "KNN", "VotingEnsemble", "StackEnsemble");
        assertThat(result.guardrails()).extracting(AutoMlResult.Guardrail::name).contains("Missing feature values imputation",
                "Class balancing detection", "Leakage detection");

        Path best = folder.resolve("outputs/runs").resolve(result.bestRunId());
        JsonNode run = JSON.readTree(best.resolve("run.json").toFile());
        assertThat(run.path("tags").path("mlflow.parentRunId").asText()).isEqualTo("parent");
        assertThat(run.path("metrics").path("test_accuracy").asDouble()).isGreaterThan(0.8);
        assertThat(run.path("metrics").has("AUC_weighted")).isTrue();
        Path artifacts = best.resolve("artifacts");
        assertThat(artifacts.resolve("charts/roc_curve.svg")).exists();
        assertThat(artifacts.resolve("charts/confusion_matrix.json")).exists();
        assertThat(artifacts.resolve("charts/calibration_curve.json")).exists();
        JsonNode importance = JSON.readTree(artifacts.resolve("explanations/feature_importance.json").toFile()).path("importance");
        assertThat(importance.path("x1").asDouble()).isGreaterThan(importance.path("noise").asDouble());
        JsonNode parent = JSON.readTree(folder.resolve("outputs/runs/parent/run.json").toFile());
        assertThat(parent.path("tags").path("automl.best_run_id").asText()).isEqualTo(result.bestRunId());
        assertThat(parent.path("metrics").path("best_accuracy").asDouble()).isEqualTo(result.bestScore());

        // the model folder loads through the runtimes that serve endpoints and answers what the job wrote
        List<String> lines = Files.readAllLines(artifacts.resolve("test_predictions.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        assertThat(header).contains("label_predicted", "probability:a", "probability:b");
        Table input = csvTable(test);
        try (ModelRuntime runtime = ModelRuntimes.standard().load(artifacts.resolve("model"))) {
            assertThat(runtime.flavor()).isEqualTo("atelier_automl");
            Table answer = (Table) runtime.predict(input);
            assertThat(answer.columns()).containsExactly("label", "probability:a", "probability:b");
            for (int i = 0; i < input.rows().size(); i++) {
                String[] cells = lines.get(i + 1).split(",");
                assertThat(answer.rows().get(i).get(0)).isEqualTo(cells[header.indexOf("label_predicted")]);
                assertThat((Double) answer.rows().get(i).get(2)).isEqualTo(Double.parseDouble(cells[header.indexOf("probability:b")]));
            }
        }
    }

    @Test
    void aTextColumnsTfIdfIsSavedWithTheModelWhichPredictsAsTheJobDid() throws IOException {
        Path train = reviews(folder.resolve("train.csv"), 240, 21);
        Path test = reviews(folder.resolve("test.csv"), 60, 22);
        Map<String, Object> spec = spec("classification", "liked", train);
        spec.put("test_data", test.toString());
        spec.put("n_cross_validations", 3);
        spec.put("limits", Map.of("max_trials", 3, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("LogisticRegression", "XGBoostClassifier"),
                "enable_model_explainability", false, "enable_stack_ensemble", false));
        AutoMlResult result = run(spec, 0);

        // the words decide the label: the majority class is right about half of the time
        assertThat(result.bestScore()).isGreaterThan(0.9);
        Path artifacts = folder.resolve("outputs/runs").resolve(result.bestRunId()).resolve("artifacts");
        JsonNode review = JSON.readTree(artifacts.resolve("model/pipeline.json").toFile()).findParents("column").stream()
                .filter(node -> node.path("column").asText().equals("review")).findFirst().orElseThrow();
        assertThat(review.path("kind").asText()).isEqualTo("tf_idf");
        assertThat(review.path("terms")).extracting(JsonNode::asText).contains("superb", "awful");

        List<String> lines = Files.readAllLines(artifacts.resolve("test_predictions.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        Table input = csvTable(test);
        try (ModelRuntime runtime = ModelRuntimes.standard().load(artifacts.resolve("model"))) {
            Table answer = (Table) runtime.predict(input);
            for (int i = 0; i < input.rows().size(); i++) {
                String[] cells = lines.get(i + 1).split(",");
                assertThat(answer.rows().get(i).get(0)).isEqualTo(cells[header.indexOf("label")]);
                assertThat((Double) answer.rows().get(i).get(answer.columns().indexOf("probability:yes")))
                        .isEqualTo(Double.parseDouble(cells[header.indexOf("probability:yes")]));
            }
        }
    }

    /** Reviews of a few words (no commas), liked when a good word outnumbers a bad one, and a numeric noise column. */
    private static Path reviews(Path file, int rows, long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        String[] good = {"superb", "lovely", "great", "tasty"};
        String[] bad = {"awful", "cold", "slow", "bland"};
        String[] filler = {"the", "food", "was", "and", "service", "place", "really", "very"};
        List<String> lines = new ArrayList<>(List.of("review,noise,liked"));
        for (int i = 0; i < rows; i++) {
            boolean liked = random.nextBoolean();
            List<String> words = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                words.add(filler[random.nextInt(filler.length)]);
            }
            words.add((liked ? good : bad)[random.nextInt(4)]);
            words.add((liked ? good : bad)[random.nextInt(4)]);
            if (random.nextInt(3) == 0) {
                words.add((liked ? bad : good)[random.nextInt(4)]);
            }
            java.util.Collections.shuffle(words, random);
            lines.add(String.join(" ", words) + "," + String.format(java.util.Locale.ROOT, "%.3f", random.nextGaussian()) + ","
                    + (liked ? "yes" : "no"));
        }
        Files.write(file, lines);
        return file;
    }

    @Test
    void rowsOfWeightZeroCountInNoMetric() throws IOException {
        // every third row gets the wrong label and weight 0: weighted, the search sees clean moons
        Path train = withWeights(GeneratedData.moons(folder.resolve("train.csv"), 300, 31));
        Map<String, Object> spec = spec("classification", "label", train);
        spec.put("weight_column_name", "w");
        spec.put("primary_metric", "accuracy");
        spec.put("n_cross_validations", 3);
        spec.put("limits", Map.of("max_trials", 2, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("XGBoostClassifier", "KNN"),
                "enable_model_explainability", false, "enable_vote_ensemble", false, "enable_stack_ensemble", false));
        AutoMlResult result = run(spec, 0);

        // a third of the labels are flipped: unweighted, even a perfect model of the moons would score about two thirds
        assertThat(result.bestScore()).isGreaterThan(0.8);
        JsonNode best = JSON.readTree(folder.resolve("outputs/runs").resolve(result.bestRunId()).resolve("run.json").toFile());
        assertThat(best.path("metrics").path("accuracy").asDouble()).isEqualTo(result.bestScore());
    }

    /** Adds a column w: 0 on every third row, whose label a/b is flipped, else 1. */
    private static Path withWeights(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> weighted = new ArrayList<>(List.of(lines.get(0) + ",w"));
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (i % 3 == 0) {
                String label = line.substring(line.lastIndexOf(',') + 1);
                weighted.add(line.substring(0, line.lastIndexOf(',') + 1) + (label.equals("a") ? "b" : "a") + ",0");
            } else {
                weighted.add(line + ",1");
            }
        }
        Files.write(csv, weighted);
        return csv;
    }

    @Test
    void regressionBeatsTheMean() throws IOException {
        Path train = GeneratedData.regression(folder.resolve("train.csv"), 400, 3);
        Map<String, Object> spec = spec("regression", "y", train);
        spec.put("primary_metric", "r2_score");
        spec.put("n_cross_validations", 3);
        spec.put("limits", Map.of("max_trials", 6, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("XGBoostRegressor", "ElasticNet", "DecisionTree", "KNN"),
                "enable_model_explainability", false));
        AutoMlResult result = run(spec, 0);

        // predicting the mean scores an r2 of 0
        assertThat(result.bestScore()).isGreaterThan(0.8);
        Path artifacts = folder.resolve("outputs/runs").resolve(result.bestRunId()).resolve("artifacts");
        assertThat(artifacts.resolve("charts/residuals.svg")).exists();
        assertThat(artifacts.resolve("charts/predicted_vs_true.json")).exists();
        assertThat(artifacts.resolve("model/MLmodel")).content().contains("atelier_automl");
    }

    @Test
    void threeClassesGetAProbabilityEach() throws IOException {
        Path train = folder.resolve("train.csv");
        java.util.Random random = new java.util.Random(8);
        List<String> lines = new ArrayList<>(List.of("x,y,species"));
        for (int i = 0; i < 300; i++) {
            int species = i % 3;
            lines.add(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%d", 3 * Math.cos(2 * Math.PI * species / 3) + random.nextGaussian(),
                    3 * Math.sin(2 * Math.PI * species / 3) + random.nextGaussian(), species + 1));
        }
        Files.write(train, lines);
        Map<String, Object> spec = spec("classification", "species", train);
        spec.put("n_cross_validations", 3);
        spec.put("limits", Map.of("max_trials", 4, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("XGBoostClassifier", "RandomForest", "LogisticRegression", "KNN"),
                "enable_model_explainability", false));
        AutoMlResult result = run(spec, 0);

        assertThat(result.trials()).extracting(AutoMlResult.Trial::status).containsOnly("Completed");
        // three balanced classes: the majority class has an AUC of 0.5 and an accuracy of a third
        assertThat(result.bestScore()).isGreaterThan(0.9);
        Path model = folder.resolve("outputs/runs").resolve(result.bestRunId()).resolve("artifacts/model");
        try (ModelRuntime runtime = ModelRuntimes.standard().load(model)) {
            Table answer = (Table) runtime.predict(new Table(List.of("x", "y"), List.of(List.of(3.0, 0.0), List.of(-1.5, -2.6))));
            assertThat(answer.columns()).containsExactly("label", "probability:1", "probability:2", "probability:3");
            assertThat(answer.rows()).extracting(row -> row.get(0)).containsExactly(1L, 3L);
        }
    }

    @Test
    void aSeedReproducesTheLeaderboard() throws IOException {
        Path train = GeneratedData.moons(folder.resolve("train.csv"), 300, 4);
        Map<String, Object> spec = spec("classification", "label", train);
        spec.put("seed", 42);
        spec.put("limits", Map.of("max_trials", 7, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("XGBoostClassifier", "DecisionTree", "KNN", "LogisticRegression"),
                "enable_model_explainability", false));
        List<String> first = leaderboard(run(spec, 0));
        List<String> second = leaderboard(run(spec, 0));
        assertThat(second).isEqualTo(first);
        assertThat(first).hasSize(9);
    }

    @Test
    void theTimeBudgetEndsTheSearch() throws IOException {
        Path train = GeneratedData.moons(folder.resolve("train.csv"), 300, 5);
        Map<String, Object> spec = spec("classification", "label", train);
        spec.put("limits", Map.of("timeout_minutes", 0.05, "max_trials", 1000, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("DecisionTree"), "enable_model_explainability", false));
        AutoMlResult result = run(spec, 0);
        assertThat(result.endedBy()).isEqualTo("timeout");
        assertThat(result.trials().size()).isLessThan(1000);
    }

    @Test
    void aMissingTargetColumnIsRefusedBeforeAnyTrial() throws IOException {
        Path train = GeneratedData.moons(folder.resolve("train.csv"), 50, 6);
        run(spec("classification", "no_such_column", train), 2);
        assertThat(folder.resolve("outputs/runs/run-1")).doesNotExist();
    }

    private static List<String> leaderboard(AutoMlResult result) {
        return result.trials().stream().map(t -> t.name() + " " + t.status() + " " + t.score()).toList();
    }

    private static Map<String, Object> spec(String task, String target, Path train) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("task", task);
        spec.put("target_column_name", target);
        spec.put("training_data", train.toString());
        spec.put("seed", 7);
        return spec;
    }

    /** The CSV as a scoring request's table: numbers as numbers, empty cells missing. */
    private static Table csvTable(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        List<String> columns = Arrays.asList(lines.get(0).split(","));
        List<List<Object>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            List<Object> row = new ArrayList<>();
            for (String cell : cells) {
                row.add(cell.isEmpty() ? null : cell.matches("-?[0-9.]+") ? (Object) Double.parseDouble(cell) : cell);
            }
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    private AutoMlResult run(Map<String, Object> spec, int expectedCode) throws IOException {
        Path specFile = folder.resolve("spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        Path outputs = folder.resolve("outputs");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = AutoMlMain.run(new String[] {"--spec", specFile.toString(), "--outputs", outputs.toString()},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
        if (expectedCode != 0) {
            return null;
        }
        AutoMlResult result = JSON.readValue(Files.readString(outputs.resolve("automl_result.json")), AutoMlResult.class);
        return result;
    }
}

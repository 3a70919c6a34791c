package dev.atelier.workers.builtins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static dev.atelier.workers.builtins.BuiltinFixtures.csv;
import static dev.atelier.workers.builtins.BuiltinFixtures.points;
import static dev.atelier.workers.builtins.BuiltinFixtures.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** train_model, score_model and evaluate_model on small tables, each as its step runs it (no server: nothing logged). */
class ModelBuiltinsTest {
    @TempDir
    Path folder;

    @ParameterizedTest
    @ValueSource(strings = {"xgboost", "random_forest", "logistic_regression"})
    void classifiersTrainScoreAndEvaluate(String algorithm) throws Exception {
        Path train = points(folder, "train", 400, 1);
        Path test = points(folder, "test", 200, 2);
        Path model = folder.resolve("model");
        Builtins.run("train_model", "--input", train.toString(), "--label", "label", "--features", "x0,x1", "--algorithm", algorithm,
                "--n_estimators", "30", "--max_depth", "4", "--learning_rate", "0.5", "--output", model.toString());
        try (ModelRuntime runtime = ModelRuntimes.standard().load(model)) {
            assertThat(runtime.signature().inputs().orElseThrow().specs()).extracting(spec -> spec.name().orElseThrow())
                    .containsExactly("x0", "x1");
        }
        assertThat(MlModelYaml.read(model.resolve("MLmodel")).other().get("metadata"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("atelier.classes", List.of("no", "yes"));
        Path scored = folder.resolve("scored");
        Builtins.run("score_model", "--model", model.toString(), "--input", test.toString(), "--output", scored.toString());
        List<List<String>> rows = rows(scored);
        assertThat(rows.get(0)).startsWith("x0", "x1", "label", "target", "scored_label");
        assertThat(rows).hasSize(201);
        long right = rows.subList(1, rows.size()).stream().filter(row -> row.get(2).equals(row.get(4))).count();
        assertThat(right).isGreaterThan(160);
        Path evaluation = folder.resolve("evaluation");
        Builtins.run("evaluate_model", "--input", scored.toString(), "--output", evaluation.toString());
        JsonNode metrics = new ObjectMapper().readTree(evaluation.resolve("metrics.json").toFile());
        assertThat(metrics.at("/metrics/accuracy").asDouble()).isCloseTo(right / 200.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(metrics.at("/metrics/f1_score_macro").asDouble()).isGreaterThan(0.75);
        assertThat(metrics.at("/confusion_matrix/labels")).hasSize(2);
        assertThat(rows.get(0)).contains("scored_probability");
        assertThat(metrics.at("/metrics/AUC_weighted").asDouble()).isGreaterThan(0.85);
        assertThat(evaluation.resolve("charts")).isDirectoryContaining("glob:**roc_curve.svg")
                .isDirectoryContaining("glob:**precision_recall_curve.json").isDirectoryContaining("glob:**confusion_matrix.svg");
    }

    @ParameterizedTest
    @ValueSource(strings = {"xgboost", "random_forest", "linear_regression"})
    void regressorsTrainScoreAndEvaluate(String algorithm) throws Exception {
        Path train = points(folder, "train", 400, 3);
        Path test = points(folder, "test", 100, 4);
        Path model = folder.resolve("model");
        Builtins.run("train_model", "--input", train.toString(), "--label", "target", "--features", "x0,x1", "--task", "regression",
                "--algorithm", algorithm, "--n_estimators", "50", "--learning_rate", "0.3", "--output", model.toString());
        Path scored = folder.resolve("scored");
        Builtins.run("score_model", "--model", model.toString(), "--input", test.toString(), "--output", scored.toString());
        Path evaluation = folder.resolve("evaluation");
        Builtins.run("evaluate_model", "--input", scored.toString(), "--output", evaluation.toString());
        JsonNode metrics = new ObjectMapper().readTree(evaluation.resolve("metrics.json").toFile());
        assertThat(metrics.path("task").asText()).isEqualTo("regression");
        assertThat(metrics.at("/metrics/r2_score").asDouble()).isGreaterThan(0.7);
        assertThat(metrics.at("/metrics/root_mean_squared_error").asDouble()).isPositive();
        assertThat(evaluation.resolve("charts")).isDirectoryContaining("glob:**residuals.svg")
                .isDirectoryContaining("glob:**predicted_vs_true.json");
    }

    @Test
    void autoMlTrainsAModelThatScoreAndEvaluateTake() throws Exception {
        Path train = points(folder, "train", 300, 5);
        Path test = points(folder, "test", 150, 6);
        Path model = folder.resolve("model");
        Builtins.run("train_automl", "--input", train.toString(), "--label", "label", "--max_trials", "3", "--timeout_minutes", "5",
                "--primary_metric", "accuracy", "--output", model.toString());
        assertThat(MlModelYaml.read(model.resolve("MLmodel")).flavors()).containsKey("atelier_automl");
        assertThat(MlModelYaml.read(model.resolve("MLmodel")).other().get("metadata"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("atelier.classes", List.of("no", "yes")).containsEntry("atelier.label_column", "label");
        Path scored = folder.resolve("scored");
        Builtins.run("score_model", "--model", model.toString(), "--input", test.toString(), "--output", scored.toString());
        assertThat(rows(scored).get(0)).contains("scored_label", "scored_probability");
        Path evaluation = folder.resolve("evaluation");
        Builtins.run("evaluate_model", "--input", scored.toString(), "--output", evaluation.toString());
        JsonNode metrics = new ObjectMapper().readTree(evaluation.resolve("metrics.json").toFile());
        assertThat(metrics.at("/metrics/accuracy").asDouble()).isGreaterThan(0.8);
        assertThat(metrics.at("/metrics/AUC_weighted").asDouble()).isGreaterThan(0.85);
    }

    @Test
    void scoreModelPassesTheCategoryColumnsOfAnAutoMlModelAsText() throws Exception {
        Path train = colours(folder, "train", 240, 8);
        Path test = colours(folder, "test", 80, 9);
        Path model = folder.resolve("model");
        Builtins.run("train_automl", "--input", train.toString(), "--label", "label", "--max_trials", "3", "--timeout_minutes", "5",
                "--primary_metric", "accuracy", "--output", model.toString());
        Path scored = folder.resolve("scored");
        Builtins.run("score_model", "--model", model.toString(), "--input", test.toString(), "--output", scored.toString());
        List<List<String>> rows = rows(scored);
        int colour = rows.get(0).indexOf("colour");
        int label = rows.get(0).indexOf("scored_label");
        long right = rows.subList(1, rows.size()).stream().filter(row -> row.get(label).equals(row.get(colour).equals("red") ? "yes" : "no"))
                .count();
        assertThat(right).as("rows whose label follows their colour").isGreaterThan(70);
    }

    /** {@code rows} rows of a noise column {@code x} and a {@code colour} (red, green, blue) whose being red is the label. */
    private static Path colours(Path folder, String name, int rows, long seed) throws java.io.IOException {
        java.util.Random random = new java.util.Random(seed);
        StringBuilder text = new StringBuilder("x,colour,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < rows; i++) {
            String colour = colours[random.nextInt(3)];
            text.append(random.nextDouble()).append(',').append(colour).append(',').append(colour.equals("red") ? "yes" : "no").append('\n');
        }
        return BuiltinFixtures.csv(folder, name, text.toString());
    }

    @Test
    void autoMlRefusesALabelTheTableLacks() throws Exception {
        Path train = points(folder, "train", 50, 7);
        assertThatThrownBy(() -> Builtins.run("train_automl", "--input", train.toString(), "--label", "nothing", "--max_trials", "1",
                "--output", folder.resolve("model").toString()))
                .isInstanceOf(dev.atelier.workers.table.TableException.class).hasMessageContaining("nothing");
    }

    @Test
    void trainingRefusesTextFeaturesOneClassAndMismatchedAlgorithms() throws Exception {
        Path table = csv(folder, "in", "x,city,label\n1,Paris,a\n2,Lyon,b\n");
        assertThatThrownBy(() -> Builtins.run("train_model", "--input", table.toString(), "--label", "label", "--output", folder.resolve("m").toString()))
                .hasMessageContaining("feature column 'city' holds 'Paris'");
        Path one = csv(folder, "one", "x,label\n1,a\n2,a\n");
        assertThatThrownBy(() -> Builtins.run("train_model", "--input", one.toString(), "--label", "label", "--output", folder.resolve("m").toString()))
                .hasMessageContaining("one class only");
        assertThatThrownBy(() -> Builtins.run("train_model", "--input", one.toString(), "--label", "label", "--task", "regression",
                "--algorithm", "logistic_regression", "--output", folder.resolve("m").toString())).hasMessageContaining("does not do regression");
    }

    @Test
    void evaluationCountsTheConfusionMatrixOfAScoredTable() throws Exception {
        Path scored = csv(folder, "scored", "label,scored_label,scored_probability\na,a,0.1\na,b,0.6\nb,b,0.9\nb,a,0.4\nb,b,0.8\n");
        Builtins.run("evaluate_model", "--input", scored.toString(), "--label", "label", "--output", folder.resolve("e").toString());
        JsonNode result = new ObjectMapper().readTree(folder.resolve("e/metrics.json").toFile());
        assertThat(result.at("/metrics/accuracy").asDouble()).isEqualTo(0.6);
        assertThat(result.at("/confusion_matrix/matrix").toString()).isEqualTo("[[1,1],[1,2]]");
        // positives b: 0.9, 0.4, 0.8; negatives a: 0.1, 0.6 → 5 of 6 pairs ordered right
        assertThat(result.at("/metrics/AUC_weighted").asDouble()).isCloseTo(5 / 6.0, org.assertj.core.data.Offset.offset(1e-12));
    }
}

package dev.atelier.workers.automl;

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
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LightGBM learner (lightgbm4j's native library, loaded from its jar) on small generated tables: searched as
 * {@code LightGBM}, saved in the model folder as LightGBM's text model, loaded by the runtime that serves endpoints,
 * which answers what the job wrote; two classes or a regression only.
 */
class LightGbmTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void aBinaryClassifierIsSavedAndLoadedAndPredictsAsTheJobDid() throws IOException {
        Path train = GeneratedData.moons(folder.resolve("train.csv"), 300, 11);
        Path test = GeneratedData.moons(folder.resolve("test.csv"), 100, 12);
        Map<String, Object> spec = spec("classification", "label", train, "LightGBM");
        spec.put("test_data", test.toString());
        spec.put("primary_metric", "accuracy");
        AutoMlResult result = run(spec);

        assertThat(result.bestAlgorithm()).isEqualTo("LightGBM");
        assertThat(result.bestScore()).as("balanced classes: a majority model scores 0.5").isGreaterThan(0.8);
        Path artifacts = folder.resolve("outputs/runs").resolve(result.bestRunId()).resolve("artifacts");
        assertThat(artifacts.resolve("model/members/0.lightgbm.txt")).content().startsWith("tree");
        List<String> lines = Files.readAllLines(artifacts.resolve("test_predictions.csv"));
        List<String> header = Arrays.asList(lines.get(0).split(","));
        List<String> testLines = Files.readAllLines(test);
        List<List<Object>> rows = new ArrayList<>();
        for (String line : testLines.subList(1, testLines.size())) {
            String[] cells = line.split(",", -1);
            rows.add(Arrays.asList(cells[0], cells[1], cells[2].isEmpty() ? null : Double.parseDouble(cells[2]), cells[3],
                    Double.parseDouble(cells[4]), cells[5]));
            rows.getLast().set(1, Double.parseDouble(cells[1]));
        }
        try (ModelRuntime runtime = ModelRuntimes.standard().load(artifacts.resolve("model"))) {
            Table answer = (Table) runtime.predict(new Table(List.of("id", "x1", "x2", "color", "noise", "constant"), rows));
            for (int i = 0; i < rows.size(); i++) {
                String[] cells = lines.get(i + 1).split(",");
                assertThat(answer.rows().get(i).get(0)).isEqualTo(cells[header.indexOf("label_predicted")]);
                assertThat((Double) answer.rows().get(i).get(2)).isEqualTo(Double.parseDouble(cells[header.indexOf("probability:b")]));
            }
        }
    }

    @Test
    void threeClassesLeaveLightGbmOut() throws IOException {
        Path train = folder.resolve("train.csv");
        Random random = new Random(13);
        List<String> lines = new ArrayList<>(List.of("x,y,species"));
        for (int i = 0; i < 150; i++) {
            int species = i % 3;
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%d", 3 * Math.cos(2 * Math.PI * species / 3) + random.nextGaussian(),
                    3 * Math.sin(2 * Math.PI * species / 3) + random.nextGaussian(), species + 1));
        }
        Files.write(train, lines);
        Map<String, Object> spec = spec("classification", "species", train, "LightGBMClassifier");
        spec.put("training", Map.of("allowed_training_algorithms", List.of("LightGBMClassifier", "DecisionTree"),
                "enable_vote_ensemble", false, "enable_stack_ensemble", false, "enable_model_explainability", false));
        AutoMlResult result = run(spec);

        // lightgbm4j 4.1.0-1 cannot predict more than two classes (its answer buffer holds two values a row)
        assertThat(result.trials()).extracting(AutoMlResult.Trial::algorithm).containsOnly("DecisionTree");
    }

    @Test
    void aRegressorBeatsTheMean() throws IOException {
        Path train = GeneratedData.regression(folder.resolve("train.csv"), 300, 14);
        Map<String, Object> spec = spec("regression", "y", train, "LightGBM");
        spec.put("primary_metric", "r2_score");
        AutoMlResult result = run(spec);

        assertThat(result.bestAlgorithm()).isEqualTo("LightGBM");
        assertThat(result.bestScore()).as("the mean scores an r2 of 0").isGreaterThan(0.7);
    }

    private static Map<String, Object> spec(String task, String target, Path train, String algorithm) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("task", task);
        spec.put("target_column_name", target);
        spec.put("training_data", train.toString());
        spec.put("n_cross_validations", 3);
        spec.put("seed", 5);
        spec.put("limits", Map.of("max_trials", 2, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of(algorithm), "enable_vote_ensemble", false,
                "enable_stack_ensemble", false, "enable_model_explainability", false));
        return spec;
    }

    private AutoMlResult run(Map<String, Object> spec) throws IOException {
        Path specFile = folder.resolve("spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        Path outputs = folder.resolve("outputs");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AutoMlMain.run(new String[] {"--spec", specFile.toString(), "--outputs", outputs.toString()},
                Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return JSON.readValue(Files.readString(outputs.resolve("automl_result.json")), AutoMlResult.class);
    }
}

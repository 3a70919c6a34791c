package dev.atelier.workers.automl;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the search ends and what concurrency keeps: exit score, trial time limit, rounds of concurrent trials. */
class AutoMlSearchTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void reachingTheExitScoreEndsTheSearch() throws IOException {
        Map<String, Object> spec = spec(GeneratedData.moons(folder.resolve("train.csv"), 200, 1));
        spec.put("primary_metric", "accuracy");
        spec.put("limits", Map.of("max_trials", 50, "exit_score", 0.6, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("DecisionTree", "KNN"), "enable_model_explainability", false,
                "enable_vote_ensemble", false, "enable_stack_ensemble", false));
        AutoMlResult result = run(spec, folder.resolve("out"), 0);
        assertThat(result.endedBy()).isEqualTo("exit_score");
        assertThat(result.trials()).hasSize(1);
    }

    @Test
    void aTrialPastItsTimeLimitIsCanceled() throws IOException {
        Map<String, Object> spec = spec(GeneratedData.moons(folder.resolve("train.csv"), 200, 2));
        // a limit that has passed before the first boosting round
        spec.put("limits", Map.of("max_trials", 2, "trial_timeout_minutes", 1e-12, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("XGBoostClassifier"), "enable_model_explainability", false));
        AutoMlResult result = run(spec, folder.resolve("out"), 1);
        assertThat(result.trials()).extracting(AutoMlResult.Trial::status).containsExactly("Canceled", "Canceled");
        assertThat(result.bestRunId()).isNull();
    }

    @Test
    void concurrentTrialsRunInRoundsThatASeedReproduces() throws IOException {
        Map<String, Object> spec = spec(GeneratedData.moons(folder.resolve("train.csv"), 200, 3));
        spec.put("limits", Map.of("max_trials", 6, "max_concurrent_trials", 2, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("DecisionTree", "KNN", "LogisticRegression"),
                "enable_model_explainability", false));
        List<String> first = run(spec, folder.resolve("first"), 0).trials().stream().map(t -> t.name() + " " + t.score()).toList();
        List<String> second = run(spec, folder.resolve("second"), 0).trials().stream().map(t -> t.name() + " " + t.score()).toList();
        assertThat(second).isEqualTo(first);
        assertThat(first).hasSize(6 + 2);
    }

    @Test
    void validationDataOrAHoldoutReplaceCrossValidation() throws IOException {
        Map<String, Object> spec = spec(GeneratedData.moons(folder.resolve("train.csv"), 200, 4));
        spec.put("validation_data", GeneratedData.moons(folder.resolve("valid.csv"), 100, 5).toString());
        spec.put("limits", Map.of("max_trials", 2, "max_cores_per_trial", 1));
        spec.put("training", Map.of("allowed_training_algorithms", List.of("DecisionTree", "LogisticRegression")));
        AutoMlResult result = run(spec, folder.resolve("given"), 0);
        Map<String, Object> params = params(folder.resolve("given"), result.trials().get(0).runId());
        assertThat(params).containsEntry("validation", "validation_data (100 rows)");
        assertThat(folder.resolve("given/runs").resolve(result.bestRunId()).resolve("artifacts/explanations/feature_importance.json"))
                .content().contains("\"rows\" : \"validation_data\"");

        spec.remove("validation_data");
        spec.put("validation_data_size", 0.25);
        result = run(spec, folder.resolve("holdout"), 0);
        assertThat(params(folder.resolve("holdout"), result.trials().get(0).runId())).containsEntry("validation", "holdout of 25 % (50 rows)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Path outputs, String runId) throws IOException {
        return (Map<String, Object>) JSON.readValue(outputs.resolve("runs").resolve(runId).resolve("run.json").toFile(), Map.class).get("params");
    }

    private static Map<String, Object> spec(Path train) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("task", "classification");
        spec.put("target_column_name", "label");
        spec.put("training_data", train.toString());
        spec.put("seed", 11);
        return spec;
    }

    private AutoMlResult run(Map<String, Object> spec, Path outputs, int expectedCode) throws IOException {
        Path specFile = folder.resolve("spec.json");
        JSON.writeValue(specFile.toFile(), spec);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(log, true, StandardCharsets.UTF_8);
        int code = AutoMlMain.run(new String[] {"--spec", specFile.toString(), "--outputs", outputs.toString()}, Map.of(), stream, stream);
        assertThat(code).as(log.toString(StandardCharsets.UTF_8)).isEqualTo(expectedCode);
        return JSON.readValue(outputs.resolve("automl_result.json").toFile(), AutoMlResult.class);
    }
}

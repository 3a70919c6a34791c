package dev.atelier.workers.automl;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec file that the server writes for an AutoML job (docs/automl.md; WORKERS.md "AutoML"): Azure's YAML field
 * names, already validated and given defaults by the server. An absent field takes the default named on it here, so
 * a hand-written spec works too. Immutable.
 *
 * @param nCrossValidations "auto" or a number of folds (as text)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AutoMlSpec(
        @JsonProperty("task") String task,
        @JsonProperty("target_column_name") String targetColumnName,
        @JsonProperty("positive_label") String positiveLabel,
        @JsonProperty("weight_column_name") String weightColumnName,
        @JsonProperty("training_data") String trainingData,
        @JsonProperty("validation_data") String validationData,
        @JsonProperty("test_data") String testData,
        @JsonProperty("n_cross_validations") JsonNode nCrossValidations,
        @JsonProperty("validation_data_size") Double validationDataSize,
        @JsonProperty("primary_metric") String primaryMetric,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("featurization") Featurization featurization,
        @JsonProperty("training") Training training,
        @JsonProperty("seed") Long seed) {

    public AutoMlSpec {
        Objects.requireNonNull(task, "task is null");
        Objects.requireNonNull(targetColumnName, "target_column_name is null");
        Objects.requireNonNull(trainingData, "training_data is null");
        limits = limits == null ? Limits.DEFAULT : limits;
        featurization = featurization == null ? Featurization.DEFAULT : featurization;
        training = training == null ? Training.DEFAULT : training;
    }

    /** Reads a spec file. */
    public static AutoMlSpec read(Path file) throws IOException {
        return new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile(), AutoMlSpec.class);
    }

    /** The fixed number of folds, or 0 for "auto" (absent). */
    public int crossValidationFolds() {
        if (nCrossValidations == null || nCrossValidations.isNull() || nCrossValidations.asText().equalsIgnoreCase("auto")) {
            return 0;
        }
        return nCrossValidations.isNumber() ? nCrossValidations.asInt() : Integer.parseInt(nCrossValidations.asText().trim());
    }

    /** {@code limits}; defaults: 6 hours, no trial timeout, 1000 trials, 1 at a time, the
     * machine's cores shared among the concurrent trials (-1 too), early termination on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Limits(
            @JsonProperty("timeout_minutes") Double timeoutMinutes,
            @JsonProperty("trial_timeout_minutes") Double trialTimeoutMinutes,
            @JsonProperty("max_trials") Integer maxTrials,
            @JsonProperty("max_concurrent_trials") Integer maxConcurrentTrials,
            @JsonProperty("max_cores_per_trial") Integer maxCoresPerTrial,
            @JsonProperty("enable_early_termination") Boolean enableEarlyTermination,
            @JsonProperty("exit_score") Double exitScore) {
        static final Limits DEFAULT = new Limits(null, null, null, null, null, null, null);

        public Limits {
            timeoutMinutes = timeoutMinutes == null ? 360.0 : timeoutMinutes;
            maxTrials = maxTrials == null ? 1000 : maxTrials;
            maxConcurrentTrials = maxConcurrentTrials == null ? 1 : Math.max(1, maxConcurrentTrials);
            maxCoresPerTrial = maxCoresPerTrial == null || maxCoresPerTrial <= 0
                    ? Math.max(1, Runtime.getRuntime().availableProcessors() / maxConcurrentTrials) : maxCoresPerTrial;
            enableEarlyTermination = enableEarlyTermination == null || enableEarlyTermination;
        }
    }

    /** {@code featurization}; mode auto, off or custom (default auto). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Featurization(
            @JsonProperty("mode") String mode,
            @JsonProperty("blocked_transformers") List<String> blockedTransformers,
            @JsonProperty("column_name_and_types") Map<String, String> columnNameAndTypes,
            @JsonProperty("transformer_params") TransformerParams transformerParams) {
        static final Featurization DEFAULT = new Featurization(null, null, null, null);

        public Featurization {
            mode = mode == null ? "auto" : mode.toLowerCase(java.util.Locale.ROOT);
            blockedTransformers = blockedTransformers == null ? List.of() : List.copyOf(blockedTransformers);
            columnNameAndTypes = columnNameAndTypes == null ? Map.of() : Map.copyOf(columnNameAndTypes);
            transformerParams = transformerParams == null ? new TransformerParams(null) : transformerParams;
        }
    }

    /** {@code transformer_params}: only {@code imputer} is read. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TransformerParams(@JsonProperty("imputer") List<ImputerParams> imputer) {
        public TransformerParams {
            imputer = imputer == null ? List.of() : List.copyOf(imputer);
        }
    }

    /** One imputer setting: {@code fields} (column names) and {@code parameters.strategy} (mean, median, most_frequent, constant). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImputerParams(@JsonProperty("fields") List<String> fields, @JsonProperty("parameters") Map<String, Object> parameters) {
        public ImputerParams {
            fields = fields == null ? List.of() : List.copyOf(fields);
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }

        public String strategy() {
            return String.valueOf(parameters.getOrDefault("strategy", "mean")).toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code training}; ensembles on, explainability on, all algorithms allowed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Training(
            @JsonProperty("allowed_training_algorithms") List<String> allowedTrainingAlgorithms,
            @JsonProperty("blocked_training_algorithms") List<String> blockedTrainingAlgorithms,
            @JsonProperty("enable_stack_ensemble") Boolean enableStackEnsemble,
            @JsonProperty("enable_vote_ensemble") Boolean enableVoteEnsemble,
            @JsonProperty("enable_model_explainability") Boolean enableModelExplainability) {
        static final Training DEFAULT = new Training(null, null, null, null, null);

        public Training {
            allowedTrainingAlgorithms = allowedTrainingAlgorithms == null ? List.of() : List.copyOf(allowedTrainingAlgorithms);
            blockedTrainingAlgorithms = blockedTrainingAlgorithms == null ? List.of() : List.copyOf(blockedTrainingAlgorithms);
            enableStackEnsemble = enableStackEnsemble == null || enableStackEnsemble;
            enableVoteEnsemble = enableVoteEnsemble == null || enableVoteEnsemble;
            enableModelExplainability = enableModelExplainability == null || enableModelExplainability;
        }
    }
}

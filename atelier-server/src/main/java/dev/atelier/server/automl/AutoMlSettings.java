package dev.atelier.server.automl;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * An AutoML job's settings, validated and with Azure's defaults filled (docs/automl.md): what the server writes into
 * the spec file the workload reads ({@link #spec}, the contract with {@code dev.atelier.workers.automl.AutoMlMain}).
 * The job's data (training, validation, test) are the job's inputs, not part of these settings. Immutable.
 *
 * @param crossValidations {@code n_cross_validations}: a number of folds, or empty for {@code auto}
 * @param seed             makes the search reproducible when set
 */
public record AutoMlSettings(AutoMlTask task, String targetColumn, Optional<String> positiveLabel, Optional<String> weightColumn,
                             OptionalInt crossValidations, OptionalDouble validationDataSize, String primaryMetric, Limits limits,
                             Featurization featurization, Training training, Optional<Long> seed) {
    public AutoMlSettings {
        requireNonNull(task, "task is null");
        requireNonNull(targetColumn, "targetColumn is null");
        requireNonNull(positiveLabel, "positiveLabel is null");
        requireNonNull(weightColumn, "weightColumn is null");
        requireNonNull(crossValidations, "crossValidations is null");
        requireNonNull(validationDataSize, "validationDataSize is null");
        requireNonNull(primaryMetric, "primaryMetric is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(featurization, "featurization is null");
        requireNonNull(training, "training is null");
        requireNonNull(seed, "seed is null");
    }

    /**
     * {@code limits}: Azure's defaults are 360 minutes, 1000 trials, one at a time, every core, early termination on.
     *
     * @param trialTimeoutMinutes empty: a trial may take the whole budget
     * @param maxCoresPerTrial    -1: every core of the machine
     */
    public record Limits(int timeoutMinutes, OptionalInt trialTimeoutMinutes, int maxTrials, int maxConcurrentTrials, int maxCoresPerTrial,
                         boolean enableEarlyTermination, OptionalDouble exitScore) {
        public static final int DEFAULT_TIMEOUT_MINUTES = 360;
        public static final int DEFAULT_MAX_TRIALS = 1000;

        public Limits {
            requireNonNull(trialTimeoutMinutes, "trialTimeoutMinutes is null");
            requireNonNull(exitScore, "exitScore is null");
        }
    }

    /** {@code featurization}: mode {@code auto}, {@code off} or {@code custom}; the custom parts apply in custom mode. */
    public record Featurization(String mode, List<String> blockedTransformers, Map<String, String> columnNameAndTypes,
                                List<Imputer> imputers) {
        public Featurization {
            requireNonNull(mode, "mode is null");
            blockedTransformers = List.copyOf(blockedTransformers);
            columnNameAndTypes = Collections.unmodifiableMap(new TreeMap<>(columnNameAndTypes));
            imputers = List.copyOf(imputers);
        }

        /** Every column these settings name (to check against the training table). */
        public List<String> columns() {
            List<String> columns = new ArrayList<>(columnNameAndTypes.keySet());
            imputers.forEach(imputer -> columns.addAll(imputer.fields()));
            return columns;
        }
    }

    /** {@code transformer_params.imputer[]}: how missing values of {@code fields} are filled. */
    public record Imputer(List<String> fields, String strategy, Optional<String> fillValue) {
        public Imputer {
            fields = List.copyOf(fields);
            requireNonNull(strategy, "strategy is null");
            requireNonNull(fillValue, "fillValue is null");
        }
    }

    /** {@code training}: algorithm names in their canonical spelling ({@link AutoMlTask#algorithms}); every flag defaults to on. */
    public record Training(List<String> allowedAlgorithms, List<String> blockedAlgorithms, boolean enableStackEnsemble,
                           boolean enableVoteEnsemble, boolean enableModelExplainability) {
        public Training {
            allowedAlgorithms = List.copyOf(allowedAlgorithms);
            blockedAlgorithms = List.copyOf(blockedAlgorithms);
        }
    }

    /**
     * The spec file's JSON (docs/automl.md, "What runs where"), with Azure's field names.
     *
     * @param data local paths of the {@code training_data}, {@code validation_data} and {@code test_data} the job has
     */
    public ObjectNode spec(Map<String, String> data) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode spec = json.objectNode();
        spec.put("task", task.wireName());
        spec.put("target_column_name", targetColumn);
        spec.put("positive_label", positiveLabel.orElse(null));
        spec.put("weight_column_name", weightColumn.orElse(null));
        for (String role : List.of("training_data", "validation_data", "test_data")) {
            spec.put(role, data.get(role));
        }
        if (crossValidations.isPresent()) {
            spec.put("n_cross_validations", crossValidations.getAsInt());
        } else {
            spec.put("n_cross_validations", "auto");
        }
        if (validationDataSize.isPresent()) {
            spec.put("validation_data_size", validationDataSize.getAsDouble());
        } else {
            spec.putNull("validation_data_size");
        }
        spec.put("primary_metric", primaryMetric);
        ObjectNode limitsNode = spec.putObject("limits").put("timeout_minutes", limits.timeoutMinutes());
        if (limits.trialTimeoutMinutes().isPresent()) {
            limitsNode.put("trial_timeout_minutes", limits.trialTimeoutMinutes().getAsInt());
        } else {
            limitsNode.putNull("trial_timeout_minutes");
        }
        limitsNode.put("max_trials", limits.maxTrials()).put("max_concurrent_trials", limits.maxConcurrentTrials())
                .put("max_cores_per_trial", limits.maxCoresPerTrial()).put("enable_early_termination", limits.enableEarlyTermination());
        if (limits.exitScore().isPresent()) {
            limitsNode.put("exit_score", limits.exitScore().getAsDouble());
        } else {
            limitsNode.putNull("exit_score");
        }
        ObjectNode featurizationNode = spec.putObject("featurization").put("mode", featurization.mode());
        featurization.blockedTransformers().forEach(featurizationNode.putArray("blocked_transformers")::add);
        ObjectNode types = featurizationNode.putObject("column_name_and_types");
        featurization.columnNameAndTypes().forEach(types::put);
        ArrayNode imputers = featurizationNode.putObject("transformer_params").putArray("imputer");
        featurization.imputers().forEach(imputer -> {
            ObjectNode node = imputers.addObject();
            imputer.fields().forEach(node.putArray("fields")::add);
            ObjectNode parameters = node.putObject("parameters").put("strategy", imputer.strategy());
            imputer.fillValue().ifPresent(value -> parameters.put("fill_value", value));
        });
        ObjectNode trainingNode = spec.putObject("training");
        ArrayNode allowed = trainingNode.putArray("allowed_training_algorithms");
        training.allowedAlgorithms().forEach(allowed::add);
        ArrayNode blocked = trainingNode.putArray("blocked_training_algorithms");
        training.blockedAlgorithms().forEach(blocked::add);
        trainingNode.put("enable_stack_ensemble", training.enableStackEnsemble()).put("enable_vote_ensemble", training.enableVoteEnsemble())
                .put("enable_model_explainability", training.enableModelExplainability());
        if (seed.isPresent()) {
            spec.put("seed", seed.get());
        } else {
            spec.putNull("seed");
        }
        return spec;
    }
}

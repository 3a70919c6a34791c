package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.automl.AutoMlSettings;
import dev.atelier.server.automl.AutoMlTask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an AutoML job document ({@code type: automl}, Azure ML CLI v2's tabular AutoML job YAML,
 * https://learn.microsoft.com/azure/machine-learning/reference-automl-job; docs/automl.md) into a {@link JobSpec.AutoMl}: its
 * settings, and the command workload that runs it: {@value #MAIN_CLASS} in the built-in {@code atelier} environment, reading
 * the spec file {@value #SPEC_FILE} the server writes into its working directory, with {@code training_data},
 * {@code validation_data} and {@code test_data} as the workload's inputs (table data assets, downloaded). Atelier's addition:
 * {@code resources.memory}, the workload's memory (its JVM's heap). Whether the tables exist and hold the target column is
 * checked when the job is submitted, not here.
 */
final class AutoMlDocument {
    static final String MAIN_CLASS = "dev.atelier.workers.automl.AutoMlMain";
    static final String SPEC_FILE = "automl_spec.json";
    static final String ENVIRONMENT = "azureml:atelier@latest";
    static final List<String> DATA_FIELDS = List.of("training_data", "validation_data", "test_data");
    /** The workload's hard stop after the search's own budget: time to finish the trials running, ensembles and uploads. */
    static final long GRACE_SECONDS = 300;
    private static final String DEFAULT_MEMORY = "2g";
    private static final Pattern MEMORY = Pattern.compile("([1-9][0-9]{0,5})(Gi|G|Mi|M)");
    private static final Set<String> FIELDS = Set.of("$schema", "type", "task", "name", "display_name", "experiment_name", "description",
            "tags", "compute", "log_verbosity", "primary_metric", "target_column_name", "positive_label", "weight_column_name",
            "training_data", "validation_data", "test_data", "n_cross_validations", "validation_data_size", "limits", "featurization",
            "training", "seed", "resources");
    private static final List<String> TRANSFORMERS = List.of("text_target_encoder", "one_hot_encoder", "cat_target_encoder", "tf_idf",
            "wo_e_target_encoder", "label_encoder", "word_embedding", "naive_bayes", "count_vectorizer", "hash_one_hot_encoder");
    private static final List<String> COLUMN_TYPES = List.of("numeric", "categorical", "datetime", "text");
    private static final List<String> IMPUTE_STRATEGIES = List.of("mean", "median", "most_frequent", "constant");

    private AutoMlDocument() {
    }

    static JobSpec.AutoMl parse(DocumentFields root) {
        root.onlyKnown(FIELDS);
        AutoMlTask task = AutoMlTask.parse("task", root.requiredText("task"));
        String target = root.requiredText("target_column_name");
        Map<String, JobInput> inputs = new LinkedHashMap<>();
        for (String field : DATA_FIELDS) {
            Optional<DocumentFields> data = root.object(field);
            if (data.isEmpty() && field.equals("training_data")) {
                throw AtelierException.invalidParameter("Missing value for required field 'training_data' in the job document");
            }
            data.ifPresent(input -> inputs.put(field, table(input)));
        }
        Optional<String> positiveLabel = root.text("positive_label");
        if (positiveLabel.isPresent() && task != AutoMlTask.CLASSIFICATION) {
            throw AtelierException.invalidParameter("Invalid 'positive_label': only a classification has one");
        }
        OptionalInt folds = crossValidations(root);
        OptionalDouble validationSize = validationDataSize(root);
        if (inputs.containsKey("validation_data") && (folds.isPresent() || validationSize.isPresent())) {
            throw AtelierException.invalidParameter("Invalid '" + (folds.isPresent() ? "n_cross_validations" : "validation_data_size")
                    + "': the job has validation_data, which is what its trials are scored on");
        }
        if (folds.isPresent() && validationSize.isPresent()) {
            throw AtelierException.invalidParameter("Invalid 'validation_data_size': the job scores its trials by "
                    + "n_cross_validations; give one of the two");
        }
        String metric = root.text("primary_metric").map(value -> task.metric("primary_metric", value)).orElse(task.defaultMetric());
        AutoMlSettings.Limits limits = limits(root);
        Optional<String> memory = root.object("resources").map(resources -> {
            resources.onlyKnown(Set.of("memory"));
            return resources.requiredText("memory");
        });
        AutoMlSettings settings = new AutoMlSettings(task, target, positiveLabel, root.text("weight_column_name"), folds, validationSize,
                metric, limits, featurization(root), training(root, task), seed(root));
        String heap = memory.map(AutoMlDocument::heap).orElse(DEFAULT_MEMORY);
        CommandSpec command = new CommandSpec("java -Xmx" + heap + " " + MAIN_CLASS + " --spec " + SPEC_FILE, Optional.empty(),
                Optional.of(ENVIRONMENT), Map.of(), inputs, Map.of(), Map.of(), Map.of(), Map.of(),
                Optional.of(limits.timeoutMinutes() * 60L + GRACE_SECONDS), Optional.empty(), memory);
        return new JobSpec.AutoMl(JobDocument.name(root), root.text("display_name"),
                root.text("experiment_name").filter(n -> !n.isBlank()).orElse(JobDocument.DEFAULT_EXPERIMENT),
                root.text("description").orElse(""), root.textMap("tags"), JobDocument.compute(root), command, settings);
    }

    /** {@code training_data} and the others: a table data asset ({@code type: mltable}, Azure's name, or {@code table}). */
    private static JobInput table(DocumentFields input) {
        input.onlyKnown(Set.of("type", "path", "mode", "description"));
        String type = input.text("type").orElse("mltable");
        if (!type.equals("mltable") && !type.equals("table")) {
            throw AtelierException.invalidParameter("Invalid value '" + type + "' for '" + input.pathOf("type") + "': AutoML trains on "
                    + "tables; expected mltable (or table), a table data asset");
        }
        String path = input.requiredText("path");
        if (!(path.startsWith("azureml:") && !path.startsWith("azureml://") || path.startsWith("data:"))) {
            throw AtelierException.invalidParameter("Invalid value '" + path + "' for '" + input.pathOf("path") + "': expected a table "
                    + "data asset (azureml:<name>@latest or azureml:<name>:<version>); register a CSV file first with "
                    + "'atelier data create --type table'");
        }
        if (input.text("mode").filter(mode -> !mode.equals("download")).isPresent()) {
            throw AtelierException.invalidParameter("Invalid value '" + input.text("mode").get() + "' for '" + input.pathOf("mode")
                    + "': an AutoML job's tables are downloaded (mode download)");
        }
        return DataInputs.parse(input, Optional.empty());
    }

    private static OptionalInt crossValidations(DocumentFields root) {
        JsonNode value = root.get("n_cross_validations");
        if (value == null || value.isNull() || value.isTextual() && value.asText().equals("auto")) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber() || value.asLong() < 2 || value.asLong() > 100) {
            throw root.invalid("n_cross_validations", "auto or a number of folds from 2 to 100");
        }
        return OptionalInt.of(value.asInt());
    }

    private static OptionalDouble validationDataSize(DocumentFields root) {
        Optional<Double> size = root.number("validation_data_size");
        if (size.isPresent() && (size.get() <= 0 || size.get() >= 1)) {
            throw root.invalid("validation_data_size", "a fraction of the training data between 0 and 1, such as 0.2");
        }
        return size.map(OptionalDouble::of).orElse(OptionalDouble.empty());
    }

    private static AutoMlSettings.Limits limits(DocumentFields root) {
        Optional<DocumentFields> found = root.object("limits");
        found.ifPresent(limits -> limits.onlyKnown(Set.of("timeout_minutes", "trial_timeout_minutes", "max_trials", "max_concurrent_trials",
                "max_cores_per_trial", "enable_early_termination", "exit_score")));
        int timeout = found.flatMap(limits -> budget(limits, "timeout_minutes")).orElse(AutoMlSettings.Limits.DEFAULT_TIMEOUT_MINUTES);
        OptionalInt trialTimeout = found.flatMap(limits -> budget(limits, "trial_timeout_minutes")).map(OptionalInt::of)
                .orElse(OptionalInt.empty());
        int maxTrials = found.flatMap(limits -> budget(limits, "max_trials")).orElse(AutoMlSettings.Limits.DEFAULT_MAX_TRIALS);
        int concurrent = found.flatMap(limits -> budget(limits, "max_concurrent_trials")).orElse(1);
        int cores = found.map(limits -> limits.get("max_cores_per_trial")).filter(node -> !node.isNull()).map(node -> {
            if (!node.isIntegralNumber() || node.asInt() == 0 || node.asInt() < -1) {
                throw found.get().invalid("max_cores_per_trial", "-1 (every core) or a positive number of cores");
            }
            return node.asInt();
        }).orElse(-1);
        boolean earlyTermination = found.flatMap(limits -> bool(limits, "enable_early_termination")).orElse(true);
        OptionalDouble exitScore = found.flatMap(limits -> limits.number("exit_score")).map(OptionalDouble::of).orElse(OptionalDouble.empty());
        return new AutoMlSettings.Limits(timeout, trialTimeout, maxTrials, concurrent, cores, earlyTermination, exitScore);
    }

    /** A limit that must leave room for at least one trial: 0 is refused. */
    private static Optional<Integer> budget(DocumentFields limits, String field) {
        JsonNode value = limits.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > Integer.MAX_VALUE / 60) {
            throw AtelierException.invalidParameter("Invalid value '" + value.asText() + "' for '" + limits.pathOf(field) + "': expected a "
                    + "positive whole number" + (value.isNumber() && value.asDouble() == 0 ? " (a budget of 0 leaves no time or room "
                    + "for a single trial)" : ""));
        }
        return Optional.of(value.asInt());
    }

    private static AutoMlSettings.Featurization featurization(DocumentFields root) {
        Optional<DocumentFields> found = root.object("featurization");
        if (found.isEmpty()) {
            return new AutoMlSettings.Featurization("auto", List.of(), Map.of(), List.of());
        }
        DocumentFields featurization = found.get();
        featurization.onlyKnown(Set.of("mode", "blocked_transformers", "column_name_and_types", "transformer_params"));
        String mode = featurization.text("mode").map(value -> value.toLowerCase(Locale.ROOT)).orElse("auto");
        if (!List.of("auto", "off", "custom").contains(mode)) {
            throw featurization.invalid("mode", "auto, off or custom");
        }
        List<String> blocked = names(featurization, "blocked_transformers", TRANSFORMERS, "transformer");
        Map<String, String> types = new LinkedHashMap<>();
        featurization.textMap("column_name_and_types").forEach((column, type) -> types.put(column,
                canonical(COLUMN_TYPES, type).orElseThrow(() -> AtelierException.invalidParameter("Invalid value '" + type + "' for '"
                        + featurization.pathOf("column_name_and_types") + "." + column + "': expected one of "
                        + String.join(", ", COLUMN_TYPES)))));
        List<AutoMlSettings.Imputer> imputers = new ArrayList<>();
        featurization.object("transformer_params").ifPresent(params -> {
            params.onlyKnown(Set.of("imputer"));
            JsonNode list = params.get("imputer");
            if (list == null || list.isNull()) {
                return;
            }
            if (!list.isArray()) {
                throw params.invalid("imputer", "a list of {fields, parameters}");
            }
            for (int i = 0; i < list.size(); i++) {
                imputers.add(imputer(DocumentFields.of(list.get(i), params.pathOf("imputer") + "[" + i + "]")));
            }
        });
        if (!mode.equals("custom") && (!blocked.isEmpty() || !types.isEmpty() || !imputers.isEmpty())) {
            throw AtelierException.invalidParameter("Invalid 'featurization.mode': blocked_transformers, column_name_and_types and "
                    + "transformer_params need mode custom");
        }
        return new AutoMlSettings.Featurization(mode, blocked, types, imputers);
    }

    private static AutoMlSettings.Imputer imputer(DocumentFields imputer) {
        imputer.onlyKnown(Set.of("fields", "parameters"));
        List<String> fields = strings(imputer, "fields");
        if (fields.isEmpty()) {
            throw imputer.invalid("fields", "a list of column names");
        }
        DocumentFields parameters = imputer.object("parameters").orElseThrow(() -> AtelierException.invalidParameter(
                "Missing value for required field '" + imputer.pathOf("parameters") + "' in the job document"));
        parameters.onlyKnown(Set.of("strategy", "fill_value"));
        String strategy = parameters.requiredText("strategy").toLowerCase(Locale.ROOT);
        if (!IMPUTE_STRATEGIES.contains(strategy)) {
            throw parameters.invalid("strategy", String.join(", ", IMPUTE_STRATEGIES));
        }
        Optional<String> fill = parameters.text("fill_value");
        if (strategy.equals("constant") != fill.isPresent()) {
            throw parameters.invalid("fill_value", "a value with strategy constant, and only then");
        }
        return new AutoMlSettings.Imputer(fields, strategy, fill);
    }

    private static AutoMlSettings.Training training(DocumentFields root, AutoMlTask task) {
        Optional<DocumentFields> found = root.object("training");
        found.ifPresent(training -> training.onlyKnown(Set.of("allowed_training_algorithms", "blocked_training_algorithms",
                "enable_stack_ensemble", "enable_vote_ensemble", "enable_model_explainability")));
        List<String> allowed = found.map(training -> strings(training, "allowed_training_algorithms").stream()
                .map(name -> task.algorithm(training.pathOf("allowed_training_algorithms"), name)).distinct().toList()).orElse(List.of());
        List<String> blocked = found.map(training -> strings(training, "blocked_training_algorithms").stream()
                .map(name -> task.blockable(training.pathOf("blocked_training_algorithms"), name)).distinct().toList()).orElse(List.of());
        List<String> left = new ArrayList<>(allowed.isEmpty() ? task.algorithms() : allowed);
        left.removeAll(blocked);
        if (left.isEmpty()) {
            throw AtelierException.invalidParameter("Invalid 'training.blocked_training_algorithms': it blocks every algorithm the job "
                    + "may use");
        }
        return new AutoMlSettings.Training(allowed, blocked, found.flatMap(t -> bool(t, "enable_stack_ensemble")).orElse(true),
                found.flatMap(t -> bool(t, "enable_vote_ensemble")).orElse(true),
                found.flatMap(t -> bool(t, "enable_model_explainability")).orElse(true));
    }

    private static List<String> names(DocumentFields fields, String field, List<String> known, String what) {
        return strings(fields, field).stream().map(name -> canonical(known, name).orElseThrow(() -> AtelierException.invalidParameter(
                "Unknown " + what + " '" + name + "' in '" + fields.pathOf(field) + "': expected one of " + String.join(", ", known))))
                .distinct().toList();
    }

    private static List<String> strings(DocumentFields fields, String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw fields.invalid(field, "a list of names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : value) {
            if (!name.isTextual() || name.asText().isBlank()) {
                throw fields.invalid(field, "a list of names");
            }
            names.add(name.asText());
        }
        return names;
    }

    private static Optional<String> canonical(List<String> known, String value) {
        String key = value.replace("_", "").toLowerCase(Locale.ROOT);
        return known.stream().filter(name -> name.replace("_", "").equals(key)).findFirst();
    }

    private static Optional<Boolean> bool(DocumentFields fields, String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw fields.invalid(field, "true or false");
        }
        return Optional.of(value.asBoolean());
    }

    private static Optional<Long> seed(DocumentFields root) {
        JsonNode value = root.get("seed");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw root.invalid("seed", "a whole number");
        }
        return Optional.of(value.asLong());
    }

    /** {@code resources.memory} ({@code 4Gi}, {@code 2048Mi}) as the JVM's {@code -Xmx}. */
    private static String heap(String memory) {
        Matcher matcher = MEMORY.matcher(memory);
        if (!matcher.matches()) {
            throw AtelierException.invalidParameter("Invalid value '" + memory + "' for 'resources.memory': expected a size such as "
                    + "4Gi or 2048Mi");
        }
        return matcher.group(1) + (matcher.group(2).startsWith("G") ? "g" : "m");
    }
}

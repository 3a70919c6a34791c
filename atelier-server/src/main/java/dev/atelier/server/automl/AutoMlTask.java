package dev.atelier.server.automl;

import dev.atelier.api.AtelierException;
import dev.atelier.server.models.automl.Task;
import dev.atelier.workers.automl.Algorithm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The AutoML tasks Atelier runs, with what Azure ML's AutoML job YAML allows for each
 * (https://learn.microsoft.com/azure/machine-learning/reference-automl-job): its primary metrics (the first is the
 * default) and its training algorithm names, of which the engine ({@link Algorithm}) trains a part. Names are matched as
 * Azure matches them, without regard to case or underscores ({@code xg_boost_classifier} is {@code XGBoostClassifier});
 * the canonical spelling of a metric is Azure's snake_case one, of an algorithm Azure's PascalCase one.
 */
public enum AutoMlTask {
    CLASSIFICATION("classification", Task.CLASSIFICATION,
            List.of("auc_weighted", "accuracy", "average_precision_score_weighted", "norm_macro_recall", "precision_score_weighted"),
            List.of("LogisticRegression", "SGD", "MultinomialNaiveBayes", "BernoulliNaiveBayes", "SVM", "LinearSVM", "KNN",
                    "DecisionTree", "RandomForest", "ExtremeRandomTrees", "LightGBM", "GradientBoosting", "XGBoostClassifier")),
    REGRESSION("regression", Task.REGRESSION,
            List.of("normalized_root_mean_squared_error", "r2_score", "normalized_mean_absolute_error", "spearman_correlation"),
            List.of("ElasticNet", "GradientBoosting", "DecisionTree", "KNN", "LassoLars", "SGD", "RandomForest",
                    "ExtremeRandomTrees", "LightGBM", "XGBoostRegressor"));

    private final String wireName;
    private final List<String> primaryMetrics;
    private final List<String> azureAlgorithms;
    private final List<String> algorithms;

    AutoMlTask(String wireName, Task task, List<String> primaryMetrics, List<String> azureAlgorithms) {
        this.wireName = wireName;
        this.primaryMetrics = primaryMetrics;
        this.azureAlgorithms = azureAlgorithms;
        this.algorithms = Arrays.stream(Algorithm.values()).filter(algorithm -> algorithm.serves(task)).map(Algorithm::azureName).toList();
    }

    public String wireName() {
        return wireName;
    }

    public String defaultMetric() {
        return primaryMetrics.getFirst();
    }

    public List<String> primaryMetrics() {
        return primaryMetrics;
    }

    /** The algorithms Atelier's engine trains for this task ({@link Algorithm}), by Azure's names. */
    public List<String> algorithms() {
        return algorithms;
    }

    /** {@code classification} or {@code regression}; a 400 naming {@code field} otherwise. */
    public static AutoMlTask parse(String field, String value) {
        for (AutoMlTask task : values()) {
            if (task.wireName.equalsIgnoreCase(value)) {
                return task;
            }
        }
        throw AtelierException.invalidParameter("Invalid value '" + value + "' for '" + field + "': expected classification or "
                + "regression (Atelier's AutoML has no forecasting, image or NLP tasks)");
    }

    /** The canonical name of one of this task's primary metrics ({@code AUC_weighted} is {@code auc_weighted}); a 400 otherwise. */
    public String metric(String field, String value) {
        return canonical(primaryMetrics, value).orElseThrow(() -> AtelierException.invalidParameter("Invalid value '" + value
                + "' for '" + field + "': a " + wireName + " job's primary metric is one of " + String.join(", ", primaryMetrics)));
    }

    /** The canonical name of an algorithm the engine trains for this task; a 400 naming the field otherwise. */
    public String algorithm(String field, String value) {
        return canonical(algorithms, value).orElseThrow(() -> AtelierException.invalidParameter("Unknown algorithm '" + value
                + "' in '" + field + "': Atelier's AutoML trains, for a " + wireName + ", " + String.join(", ", algorithms)));
    }

    /**
     * The canonical name of an algorithm to block: one the engine trains, or one of Azure's for this task (blocking
     * what is never tried changes nothing); a 400 naming the field otherwise.
     */
    public String blockable(String field, String value) {
        return canonical(algorithms, value).or(() -> canonical(azureAlgorithms, value)).orElseThrow(() -> AtelierException.invalidParameter(
                "Unknown algorithm '" + value + "' in '" + field + "': a " + wireName + " job's algorithms are "
                        + String.join(", ", azureAlgorithms)));
    }

    private static Optional<String> canonical(List<String> names, String value) {
        String key = compact(value);
        return names.stream().filter(name -> compact(name).equals(key)).findFirst();
    }

    private static String compact(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}

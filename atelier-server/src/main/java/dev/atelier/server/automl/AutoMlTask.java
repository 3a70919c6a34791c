package dev.atelier.server.automl;

import dev.atelier.api.AtelierException;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The AutoML tasks Atelier runs, with what Azure ML's AutoML job YAML allows for each
 * (https://learn.microsoft.com/azure/machine-learning/reference-automl-job): its primary metrics (the first is the
 * default) and its training algorithm names. Names are matched as Azure matches them, without regard to case or
 * underscores ({@code XGBoostClassifier} is {@code xg_boost_classifier}); the canonical spelling is the snake_case one.
 */
public enum AutoMlTask {
    CLASSIFICATION("classification",
            List.of("auc_weighted", "accuracy", "average_precision_score_weighted", "norm_macro_recall", "precision_score_weighted"),
            List.of("logistic_regression", "sgd", "multinomial_naive_bayes", "bernoulli_naive_bayes", "svm", "linear_svm", "knn",
                    "decision_tree", "random_forest", "extreme_random_trees", "light_gbm", "gradient_boosting", "xg_boost_classifier")),
    REGRESSION("regression",
            List.of("normalized_root_mean_squared_error", "r2_score", "normalized_mean_absolute_error", "spearman_correlation"),
            List.of("elastic_net", "gradient_boosting", "decision_tree", "knn", "lasso_lars", "sgd", "random_forest",
                    "extreme_random_trees", "light_gbm", "xg_boost_regressor"));

    private final String wireName;
    private final List<String> primaryMetrics;
    private final List<String> algorithms;

    AutoMlTask(String wireName, List<String> primaryMetrics, List<String> algorithms) {
        this.wireName = wireName;
        this.primaryMetrics = primaryMetrics;
        this.algorithms = algorithms;
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

    /** The canonical name of one of this task's algorithms; a 400 naming the field otherwise. */
    public String algorithm(String field, String value) {
        return canonical(algorithms, value).orElseThrow(() -> AtelierException.invalidParameter("Unknown algorithm '" + value
                + "' in '" + field + "': a " + wireName + " job's algorithms are " + String.join(", ", algorithms)));
    }

    private static Optional<String> canonical(List<String> names, String value) {
        String key = compact(value);
        return names.stream().filter(name -> compact(name).equals(key)).findFirst();
    }

    private static String compact(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}

package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Task;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The learners AutoML searches, with Azure ML's names, the tasks they serve, their default configuration (tried
 * first) and their search space. Trees and forests come from Tribuo, boosting from XGBoost and LightGBM
 * (lightgbm4j), k-nearest neighbours is Atelier's own ({@link Fitting}).
 */
public enum Algorithm {
    XGBOOST_CLASSIFIER("XGBoostClassifier", Set.of(Task.CLASSIFICATION), false),
    XGBOOST_REGRESSOR("XGBoostRegressor", Set.of(Task.REGRESSION), false),
    LIGHTGBM("LightGBM", Set.of(Task.CLASSIFICATION, Task.REGRESSION), false),
    RANDOM_FOREST("RandomForest", Set.of(Task.CLASSIFICATION, Task.REGRESSION), false),
    EXTREME_RANDOM_TREES("ExtremeRandomTrees", Set.of(Task.CLASSIFICATION, Task.REGRESSION), false),
    LOGISTIC_REGRESSION("LogisticRegression", Set.of(Task.CLASSIFICATION), true),
    ELASTIC_NET("ElasticNet", Set.of(Task.REGRESSION), true),
    DECISION_TREE("DecisionTree", Set.of(Task.CLASSIFICATION, Task.REGRESSION), false),
    KNN("KNN", Set.of(Task.CLASSIFICATION, Task.REGRESSION), true);

    private final String azureName;
    private final Set<Task> tasks;
    private final boolean needsScaling;

    Algorithm(String azureName, Set<Task> tasks, boolean needsScaling) {
        this.azureName = azureName;
        this.tasks = tasks;
        this.needsScaling = needsScaling;
    }

    public String azureName() {
        return azureName;
    }

    public boolean serves(Task task) {
        return tasks.contains(task);
    }

    /** Whether its features are standardised first (linear models, k-nearest neighbours). */
    public boolean needsScaling() {
        return needsScaling;
    }

    /** The algorithm named {@code name} (Azure's name, any case; {@code XGBoost} names both boosters). */
    public static List<Algorithm> named(String name, Task task) {
        String wanted = name.trim();
        List<Algorithm> found = Arrays.stream(values())
                .filter(algorithm -> algorithm.serves(task))
                .filter(algorithm -> algorithm.azureName.equalsIgnoreCase(wanted)
                        || (wanted.equalsIgnoreCase("xgboost") && algorithm.azureName.startsWith("XGBoost"))
                        || (wanted.equalsIgnoreCase("KNeighborsClassifier") || wanted.equalsIgnoreCase("KNeighborsRegressor")) && algorithm == KNN
                        || wanted.equalsIgnoreCase("LinearRegression") && algorithm == ELASTIC_NET
                        || (wanted.equalsIgnoreCase("LightGBMClassifier") || wanted.equalsIgnoreCase("LightGBMRegressor")) && algorithm == LIGHTGBM)
                .toList();
        return found;
    }

    /** The search space. */
    public List<Hyperparameter> space() {
        return switch (this) {
            case XGBOOST_CLASSIFIER, XGBOOST_REGRESSOR -> List.of(
                    new Hyperparameter.Integers("n_estimators", 20, 600, true),
                    new Hyperparameter.Integers("max_depth", 2, 10, false),
                    new Hyperparameter.Reals("learning_rate", 0.01, 0.4, true),
                    new Hyperparameter.Reals("subsample", 0.5, 1.0, false),
                    new Hyperparameter.Reals("colsample_bytree", 0.4, 1.0, false),
                    new Hyperparameter.Reals("min_child_weight", 0.5, 20, true),
                    new Hyperparameter.Reals("reg_lambda", 0.01, 20, true));
            case LIGHTGBM -> List.of(
                    new Hyperparameter.Integers("n_estimators", 20, 600, true),
                    new Hyperparameter.Integers("num_leaves", 4, 128, true),
                    new Hyperparameter.Reals("learning_rate", 0.01, 0.4, true),
                    new Hyperparameter.Reals("subsample", 0.5, 1.0, false),
                    new Hyperparameter.Reals("colsample_bytree", 0.4, 1.0, false),
                    new Hyperparameter.Integers("min_child_samples", 2, 50, true),
                    new Hyperparameter.Reals("reg_lambda", 0.01, 20, true));
            case RANDOM_FOREST, EXTREME_RANDOM_TREES -> List.of(
                    new Hyperparameter.Integers("n_estimators", 10, 200, true),
                    new Hyperparameter.Integers("max_depth", 3, 30, false),
                    new Hyperparameter.Reals("max_features", 0.05, 0.9, false),
                    new Hyperparameter.Reals("min_child_weight", 1, 30, true));
            case DECISION_TREE -> List.of(
                    new Hyperparameter.Integers("max_depth", 2, 25, false),
                    new Hyperparameter.Reals("min_child_weight", 1, 50, true));
            case LOGISTIC_REGRESSION, ELASTIC_NET -> List.of(
                    new Hyperparameter.Integers("epochs", 5, 60, true),
                    new Hyperparameter.Reals("learning_rate", 0.01, 1.0, true),
                    new Hyperparameter.Reals("l1", 1e-6, 0.1, true),
                    new Hyperparameter.Reals("l2", 1e-6, 1.0, true));
            case KNN -> List.of(
                    new Hyperparameter.Integers("n_neighbors", 1, 50, true),
                    new Hyperparameter.Choice("weights", List.of("uniform", "distance")));
        };
    }

    /** The default configuration, tried before any search; {@code features} is the number of features. */
    public Map<String, Object> defaults(int features) {
        Map<String, Object> config = new LinkedHashMap<>();
        switch (this) {
            case XGBOOST_CLASSIFIER, XGBOOST_REGRESSOR -> {
                config.put("n_estimators", 100);
                config.put("max_depth", 6);
                config.put("learning_rate", 0.3);
                config.put("subsample", 1.0);
                config.put("colsample_bytree", 1.0);
                config.put("min_child_weight", 1.0);
                config.put("reg_lambda", 1.0);
            }
            case LIGHTGBM -> { // LightGBM's own defaults, bar min_child_samples (20) for small tables and reg_lambda (0)
                config.put("n_estimators", 100);
                config.put("num_leaves", 31);
                config.put("learning_rate", 0.1);
                config.put("subsample", 1.0);
                config.put("colsample_bytree", 1.0);
                config.put("min_child_samples", 10);
                config.put("reg_lambda", 0.01);
            }
            case RANDOM_FOREST, EXTREME_RANDOM_TREES -> {
                config.put("n_estimators", 50);
                config.put("max_depth", 20);
                config.put("max_features", Math.max(0.05, Math.min(0.9, Math.sqrt(features) / features)));
                config.put("min_child_weight", 1.0);
            }
            case DECISION_TREE -> {
                config.put("max_depth", 10);
                config.put("min_child_weight", 5.0);
            }
            case LOGISTIC_REGRESSION, ELASTIC_NET -> {
                config.put("epochs", 20);
                config.put("learning_rate", 0.5);
                config.put("l1", 1e-6);
                config.put("l2", 1e-4);
            }
            case KNN -> {
                config.put("n_neighbors", 5);
                config.put("weights", "uniform");
            }
        }
        return config;
    }
}

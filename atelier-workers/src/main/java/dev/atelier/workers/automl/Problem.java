package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Member;
import dev.atelier.server.models.automl.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * What every trial learns and how it is judged: the featurized rows (training rows, then any given validation rows),
 * targets, optional weights, the validation splits and the metrics. Immutable (the arrays are shared, never written).
 *
 * @param classes the number of classes; 0 for regression
 */
public record Problem(Task task, Metric primary, double[][] features, double[] targets, double[] weights, int classes,
                      Splits splits) {
    public Problem {
        requireNonNull(task, "task is null");
        requireNonNull(primary, "primary is null");
        requireNonNull(splits, "splits is null");
    }

    /** The learning data of {@code rows}. */
    public Fitting.Data data(int[] rows) {
        double[][] features = new double[rows.length][];
        double[] targets = new double[rows.length];
        double[] weights = this.weights == null ? null : new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            features[i] = this.features[rows[i]];
            targets[i] = this.targets[rows[i]];
            if (weights != null) {
                weights[i] = this.weights[rows[i]];
            }
        }
        return new Fitting.Data(features, targets, weights, classes);
    }

    /** The features of {@code rows}. */
    public double[][] features(int[] rows) {
        double[][] selected = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = features[rows[i]];
        }
        return selected;
    }

    /** The targets of the evaluated rows, in their order. */
    public double[] evaluatedTargets() {
        int[] rows = splits.evaluated();
        double[] selected = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = targets[rows[i]];
        }
        return selected;
    }

    /** The weights of the evaluated rows, in their order; null without {@code weight_column_name}. */
    public double[] evaluatedWeights() {
        return weights(splits.evaluated());
    }

    /** The weights of {@code rows}; null without {@code weight_column_name}. */
    public double[] weights(int[] rows) {
        if (weights == null) {
            return null;
        }
        double[] selected = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            selected[i] = weights[rows[i]];
        }
        return selected;
    }

    /** Every metric of the task for predictions of the evaluated rows, weighted by their weights (NaN ones left out). */
    public Map<String, Double> metrics(double[][] predictions) {
        return metrics(evaluatedTargets(), predictions, evaluatedWeights());
    }

    /** Every metric of the task, each row counting by its weight ({@code weights} null: all the same; NaN ones left out). */
    public Map<String, Double> metrics(double[] truth, double[][] predictions, double[] weights) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : Metric.of(task)) {
            double value = metric.compute(truth, predictions, classes, weights);
            if (Double.isFinite(value)) {
                metrics.put(metric.azureName(), value);
            }
        }
        return metrics;
    }

    /** The rows of the training data (not of given validation data): what the final model is fitted on. */
    public int[] trainingRows() {
        List<Splits.Split> all = splits.splits();
        if (all.size() == 1 && splits.description().startsWith("validation_data")) {
            return all.get(0).train();
        }
        int[] rows = new int[targets.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return rows;
    }

    /** Predictions of a fitted member on {@code rows}. */
    public double[][] predict(Member member, int[] rows) {
        return member.predict(features(rows));
    }
}

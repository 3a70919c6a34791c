package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.server.models.automl.Task;

import java.util.Arrays;
import java.util.List;

/**
 * The metrics of a trial, with Azure ML's names (docs "Evaluate AutoML experiment results"). Classification metrics
 * take the true class numbers and each row's class probabilities; regression metrics the true and predicted numbers
 * (normalised metrics divide by the range of the true values). Weighted averages weight each class by its support.
 */
public enum Metric {
    ACCURACY("accuracy", Task.CLASSIFICATION, true),
    AUC_WEIGHTED("AUC_weighted", Task.CLASSIFICATION, true),
    AVERAGE_PRECISION_SCORE_WEIGHTED("average_precision_score_weighted", Task.CLASSIFICATION, true),
    NORM_MACRO_RECALL("norm_macro_recall", Task.CLASSIFICATION, true),
    PRECISION_SCORE_WEIGHTED("precision_score_weighted", Task.CLASSIFICATION, true),
    F1_SCORE_WEIGHTED("f1_score_weighted", Task.CLASSIFICATION, true),
    LOG_LOSS("log_loss", Task.CLASSIFICATION, false),
    NORMALIZED_ROOT_MEAN_SQUARED_ERROR("normalized_root_mean_squared_error", Task.REGRESSION, false),
    R2_SCORE("r2_score", Task.REGRESSION, true),
    NORMALIZED_MEAN_ABSOLUTE_ERROR("normalized_mean_absolute_error", Task.REGRESSION, false),
    SPEARMAN_CORRELATION("spearman_correlation", Task.REGRESSION, true);

    private final String azureName;
    private final Task task;
    private final boolean higherIsBetter;

    Metric(String azureName, Task task, boolean higherIsBetter) {
        this.azureName = azureName;
        this.task = task;
        this.higherIsBetter = higherIsBetter;
    }

    public String azureName() {
        return azureName;
    }

    public Task task() {
        return task;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** The value as a score to maximise (the negation of a metric where lower is better). */
    public double toScore(double value) {
        return higherIsBetter ? value : -value;
    }

    /** The metrics of a task, in this enum's order. */
    public static List<Metric> of(Task task) {
        return Arrays.stream(values()).filter(metric -> metric.task == task).toList();
    }

    /** The metric named {@code name} (Azure's name, any case). @throws IllegalArgumentException for another name */
    public static Metric named(String name) {
        return Arrays.stream(values()).filter(metric -> metric.azureName.equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + name + "'"));
    }

    /** The default primary metric of a task, as Azure's. */
    public static Metric defaultFor(Task task) {
        return task == Task.CLASSIFICATION ? AUC_WEIGHTED : NORMALIZED_ROOT_MEAN_SQUARED_ERROR;
    }

    /** The metric's value; {@code truth} holds class numbers for classification. */
    public double compute(double[] truth, double[][] predictions, int classes) {
        return switch (this) {
            case ACCURACY -> accuracy(truth, predictions);
            case AUC_WEIGHTED -> weightedPerClass(truth, predictions, classes, Metric::auc);
            case AVERAGE_PRECISION_SCORE_WEIGHTED -> weightedPerClass(truth, predictions, classes, Metric::averagePrecision);
            case NORM_MACRO_RECALL -> normMacroRecall(truth, predictions, classes);
            case PRECISION_SCORE_WEIGHTED -> confusionWeighted(truth, predictions, classes, false);
            case F1_SCORE_WEIGHTED -> confusionWeighted(truth, predictions, classes, true);
            case LOG_LOSS -> logLoss(truth, predictions);
            case NORMALIZED_ROOT_MEAN_SQUARED_ERROR -> Math.sqrt(meanOf(truth, predictions, true)) / range(truth);
            case R2_SCORE -> r2(truth, predictions);
            case NORMALIZED_MEAN_ABSOLUTE_ERROR -> meanOf(truth, predictions, false) / range(truth);
            case SPEARMAN_CORRELATION -> pearson(ranks(truth), ranks(column(predictions, 0)));
        };
    }

    private static double accuracy(double[] truth, double[][] predictions) {
        int right = 0;
        for (int i = 0; i < truth.length; i++) {
            right += AutoMlPipeline.argmax(predictions[i]) == (int) truth[i] ? 1 : 0;
        }
        return (double) right / truth.length;
    }

    private interface PerClass {
        double compute(boolean[] positive, double[] scores);
    }

    private static double weightedPerClass(double[] truth, double[][] predictions, int classes, PerClass perClass) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            boolean[] positive = new boolean[truth.length];
            int support = 0;
            for (int i = 0; i < truth.length; i++) {
                positive[i] = (int) truth[i] == c;
                support += positive[i] ? 1 : 0;
            }
            if (support == 0 || support == truth.length) {
                continue;
            }
            sum += support * perClass.compute(positive, column(predictions, c));
            counted += support;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The area under the ROC curve: the probability that a positive outranks a negative (ties count half). */
    static double auc(boolean[] positive, double[] scores) {
        double[] ranks = ranks(scores);
        double positiveRanks = 0;
        long positives = 0;
        for (int i = 0; i < positive.length; i++) {
            if (positive[i]) {
                positiveRanks += ranks[i];
                positives++;
            }
        }
        long negatives = positive.length - positives;
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** scikit-learn's average precision: the sum over thresholds of precision times the gain in recall. */
    static double averagePrecision(boolean[] positive, double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        long positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        double precisionSum = 0;
        double truePositives = 0;
        double previousRecall = 0;
        for (int i = 0; i < order.length; i++) {
            truePositives += positive[order[i]] ? 1 : 0;
            boolean lastOfThreshold = i == order.length - 1 || scores[order[i + 1]] != scores[order[i]];
            if (lastOfThreshold) {
                double recall = truePositives / positives;
                precisionSum += (recall - previousRecall) * (truePositives / (i + 1));
                previousRecall = recall;
            }
        }
        return precisionSum;
    }

    /** [true class][predicted class] counts. */
    static long[][] confusion(double[] truth, double[][] predictions, int classes) {
        long[][] matrix = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            matrix[(int) truth[i]][AutoMlPipeline.argmax(predictions[i])]++;
        }
        return matrix;
    }

    private static double normMacroRecall(double[] truth, double[][] predictions, int classes) {
        long[][] matrix = confusion(truth, predictions, classes);
        double recallSum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            long support = Arrays.stream(matrix[c]).sum();
            if (support > 0) {
                recallSum += (double) matrix[c][c] / support;
                present++;
            }
        }
        double chance = 1.0 / Math.max(2, classes);
        return (recallSum / present - chance) / (1 - chance);
    }

    private static double confusionWeighted(double[] truth, double[][] predictions, int classes, boolean f1) {
        long[][] matrix = confusion(truth, predictions, classes);
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            long support = Arrays.stream(matrix[c]).sum();
            long predicted = 0;
            for (long[] row : matrix) {
                predicted += row[c];
            }
            double precision = predicted == 0 ? 0 : (double) matrix[c][c] / predicted;
            double recall = support == 0 ? 0 : (double) matrix[c][c] / support;
            double value = f1 ? (precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)) : precision;
            sum += support * value;
        }
        return sum / truth.length;
    }

    private static double logLoss(double[] truth, double[][] predictions) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double total = Arrays.stream(predictions[i]).sum();
            double p = predictions[i][(int) truth[i]] / (total > 0 ? total : 1);
            sum -= Math.log(Math.min(1 - 1e-15, Math.max(1e-15, p)));
        }
        return sum / truth.length;
    }

    private static double meanOf(double[] truth, double[][] predictions, boolean squared) {
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            double error = predictions[i][0] - truth[i];
            sum += squared ? error * error : Math.abs(error);
        }
        return sum / truth.length;
    }

    private static double range(double[] truth) {
        double range = Arrays.stream(truth).max().orElse(0) - Arrays.stream(truth).min().orElse(0);
        return range > 0 ? range : 1;
    }

    private static double r2(double[] truth, double[][] predictions) {
        double mean = Arrays.stream(truth).average().orElse(0);
        double residual = 0;
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            residual += (truth[i] - predictions[i][0]) * (truth[i] - predictions[i][0]);
            total += (truth[i] - mean) * (truth[i] - mean);
        }
        return total == 0 ? 0 : 1 - residual / total;
    }

    /** Ranks from 1, ties given their average rank. */
    static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[values.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }

    static double pearson(double[] a, double[] b) {
        double meanA = Arrays.stream(a).average().orElse(0);
        double meanB = Arrays.stream(b).average().orElse(0);
        double covariance = 0;
        double varianceA = 0;
        double varianceB = 0;
        for (int i = 0; i < a.length; i++) {
            covariance += (a[i] - meanA) * (b[i] - meanB);
            varianceA += (a[i] - meanA) * (a[i] - meanA);
            varianceB += (b[i] - meanB) * (b[i] - meanB);
        }
        return varianceA == 0 || varianceB == 0 ? 0 : covariance / Math.sqrt(varianceA * varianceB);
    }

    static double[] column(double[][] rows, int index) {
        double[] column = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            column[i] = rows[i][index];
        }
        return column;
    }
}

package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.server.models.automl.Task;

import java.util.Arrays;
import java.util.List;

/**
 * The metrics of a trial, with Azure ML's names (docs "Evaluate AutoML experiment results"). Classification metrics
 * take the true class numbers and each row's class probabilities; regression metrics the true and predicted numbers
 * (normalised metrics divide by the range of the true values). Weighted averages weight each class by its support;
 * with row weights ({@code weight_column_name}) every count and sum is a sum of weights.
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

    /** The metric's value, every row weighing the same; {@code truth} holds class numbers for classification. */
    public double compute(double[] truth, double[][] predictions, int classes) {
        return compute(truth, predictions, classes, null);
    }

    /**
     * The metric's value with each row counting by its weight (a row of weight 2 counts as two rows of weight 1), as
     * scikit-learn's {@code sample_weight}; {@code weights} null weighs every row 1. NaN when the weights sum to 0.
     * Spearman's correlation is the weighted Pearson correlation of the (unweighted) ranks.
     */
    public double compute(double[] truth, double[][] predictions, int classes, double[] weights) {
        double[] w = weights == null ? ones(truth.length) : weights;
        if (!(Arrays.stream(w).sum() > 0)) {
            return Double.NaN;
        }
        return switch (this) {
            case ACCURACY -> accuracy(truth, predictions, w);
            case AUC_WEIGHTED -> weightedPerClass(truth, predictions, classes, w, Metric::auc);
            case AVERAGE_PRECISION_SCORE_WEIGHTED -> weightedPerClass(truth, predictions, classes, w, Metric::averagePrecision);
            case NORM_MACRO_RECALL -> normMacroRecall(truth, predictions, classes, w);
            case PRECISION_SCORE_WEIGHTED -> confusionWeighted(truth, predictions, classes, w, false);
            case F1_SCORE_WEIGHTED -> confusionWeighted(truth, predictions, classes, w, true);
            case LOG_LOSS -> logLoss(truth, predictions, w);
            case NORMALIZED_ROOT_MEAN_SQUARED_ERROR -> Math.sqrt(meanOf(truth, predictions, w, true)) / range(truth);
            case R2_SCORE -> r2(truth, predictions, w);
            case NORMALIZED_MEAN_ABSOLUTE_ERROR -> meanOf(truth, predictions, w, false) / range(truth);
            case SPEARMAN_CORRELATION -> pearson(ranks(truth), ranks(column(predictions, 0)), w);
        };
    }

    private static double[] ones(int length) {
        double[] ones = new double[length];
        Arrays.fill(ones, 1);
        return ones;
    }

    private static double accuracy(double[] truth, double[][] predictions, double[] w) {
        double right = 0;
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            right += AutoMlPipeline.argmax(predictions[i]) == (int) truth[i] ? w[i] : 0;
            total += w[i];
        }
        return right / total;
    }

    private interface PerClass {
        double compute(boolean[] positive, double[] scores, double[] weights);
    }

    /** The per-class metric (one class against the rest), averaged with each class weighted by its support. */
    private static double weightedPerClass(double[] truth, double[][] predictions, int classes, double[] w, PerClass perClass) {
        double sum = 0;
        double counted = 0;
        double total = Arrays.stream(w).sum();
        for (int c = 0; c < classes; c++) {
            boolean[] positive = new boolean[truth.length];
            double support = 0;
            for (int i = 0; i < truth.length; i++) {
                positive[i] = (int) truth[i] == c;
                support += positive[i] ? w[i] : 0;
            }
            if (support == 0 || support == total) {
                continue;
            }
            sum += support * perClass.compute(positive, column(predictions, c), w);
            counted += support;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The area under the ROC curve, unweighted: the probability that a positive outranks a negative (ties count half). */
    static double auc(boolean[] positive, double[] scores) {
        return auc(positive, scores, ones(scores.length));
    }

    /**
     * The area under the weighted ROC curve: over pairs of a positive and a negative, the weight-product share of pairs
     * where the positive scores higher (ties count half).
     */
    static double auc(boolean[] positive, double[] scores, double[] w) {
        Integer[] order = byScoreDescending(scores);
        double positives = 0;
        double negatives = 0;
        double area = 0;
        int i = 0;
        while (i < order.length) {
            double tiedPositives = 0;
            double tiedNegatives = 0;
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                if (positive[order[j]]) {
                    tiedPositives += w[order[j]];
                } else {
                    tiedNegatives += w[order[j]];
                }
                j++;
            }
            // negatives of this score rank below every positive seen so far, and tie with this score's positives
            area += tiedNegatives * (positives + tiedPositives / 2);
            positives += tiedPositives;
            negatives += tiedNegatives;
            i = j;
        }
        return area / (positives * negatives);
    }

    private static Integer[] byScoreDescending(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        return order;
    }

    /** scikit-learn's average precision, unweighted. */
    static double averagePrecision(boolean[] positive, double[] scores) {
        return averagePrecision(positive, scores, ones(scores.length));
    }

    /** scikit-learn's average precision: the sum over thresholds of precision times the gain in recall (weighted counts). */
    static double averagePrecision(boolean[] positive, double[] scores, double[] w) {
        Integer[] order = byScoreDescending(scores);
        double positives = 0;
        for (int i = 0; i < positive.length; i++) {
            positives += positive[i] ? w[i] : 0;
        }
        double precisionSum = 0;
        double truePositives = 0;
        double predicted = 0;
        double previousRecall = 0;
        for (int i = 0; i < order.length; i++) {
            truePositives += positive[order[i]] ? w[order[i]] : 0;
            predicted += w[order[i]];
            boolean lastOfThreshold = i == order.length - 1 || scores[order[i + 1]] != scores[order[i]];
            if (lastOfThreshold && predicted > 0) {
                double recall = truePositives / positives;
                precisionSum += (recall - previousRecall) * (truePositives / predicted);
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

    /** [true class][predicted class] sums of weights. */
    private static double[][] confusion(double[] truth, double[][] predictions, int classes, double[] w) {
        double[][] matrix = new double[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            matrix[(int) truth[i]][AutoMlPipeline.argmax(predictions[i])] += w[i];
        }
        return matrix;
    }

    private static double normMacroRecall(double[] truth, double[][] predictions, int classes, double[] w) {
        double[][] matrix = confusion(truth, predictions, classes, w);
        double recallSum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
            double support = Arrays.stream(matrix[c]).sum();
            if (support > 0) {
                recallSum += matrix[c][c] / support;
                present++;
            }
        }
        double chance = 1.0 / Math.max(2, classes);
        return (recallSum / present - chance) / (1 - chance);
    }

    private static double confusionWeighted(double[] truth, double[][] predictions, int classes, double[] w, boolean f1) {
        double[][] matrix = confusion(truth, predictions, classes, w);
        double sum = 0;
        double total = 0;
        for (int c = 0; c < classes; c++) {
            double support = Arrays.stream(matrix[c]).sum();
            double predicted = 0;
            for (double[] row : matrix) {
                predicted += row[c];
            }
            double precision = predicted == 0 ? 0 : matrix[c][c] / predicted;
            double recall = support == 0 ? 0 : matrix[c][c] / support;
            double value = f1 ? (precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)) : precision;
            sum += support * value;
            total += support;
        }
        return sum / total;
    }

    private static double logLoss(double[] truth, double[][] predictions, double[] w) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            double rowTotal = Arrays.stream(predictions[i]).sum();
            double p = predictions[i][(int) truth[i]] / (rowTotal > 0 ? rowTotal : 1);
            sum -= w[i] * Math.log(Math.min(1 - 1e-15, Math.max(1e-15, p)));
            total += w[i];
        }
        return sum / total;
    }

    private static double meanOf(double[] truth, double[][] predictions, double[] w, boolean squared) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            double error = predictions[i][0] - truth[i];
            sum += w[i] * (squared ? error * error : Math.abs(error));
            total += w[i];
        }
        return sum / total;
    }

    private static double range(double[] truth) {
        double range = Arrays.stream(truth).max().orElse(0) - Arrays.stream(truth).min().orElse(0);
        return range > 0 ? range : 1;
    }

    private static double r2(double[] truth, double[][] predictions, double[] w) {
        double mean = weightedMean(truth, w);
        double residual = 0;
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            residual += w[i] * (truth[i] - predictions[i][0]) * (truth[i] - predictions[i][0]);
            total += w[i] * (truth[i] - mean) * (truth[i] - mean);
        }
        return total == 0 ? 0 : 1 - residual / total;
    }

    private static double weightedMean(double[] values, double[] w) {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < values.length; i++) {
            sum += w[i] * values[i];
            total += w[i];
        }
        return sum / total;
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
        return pearson(a, b, ones(a.length));
    }

    static double pearson(double[] a, double[] b, double[] w) {
        double meanA = weightedMean(a, w);
        double meanB = weightedMean(b, w);
        double covariance = 0;
        double varianceA = 0;
        double varianceB = 0;
        for (int i = 0; i < a.length; i++) {
            covariance += w[i] * (a[i] - meanA) * (b[i] - meanB);
            varianceA += w[i] * (a[i] - meanA) * (a[i] - meanA);
            varianceB += w[i] * (b[i] - meanB) * (b[i] - meanB);
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

package dev.atelier.workers.automl;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Metrics against values computed by hand (and by scikit-learn's documented examples). */
class MetricTest {
    private static final double[] TRUTH = {0, 0, 1, 1};
    /** P(class 1) = 0.1, 0.4, 0.35, 0.8: scikit-learn's roc_auc_score example, AUC 0.75, average precision 0.8333. */
    private static final double[][] PROBABILITIES = {{0.9, 0.1}, {0.6, 0.4}, {0.65, 0.35}, {0.2, 0.8}};

    @Test
    void classificationMetricsMatchHandComputedValues() {
        assertThat(Metric.ACCURACY.compute(TRUTH, PROBABILITIES, 2)).isEqualTo(0.75);
        assertThat(Metric.AUC_WEIGHTED.compute(TRUTH, PROBABILITIES, 2)).isCloseTo(0.75, within(1e-12));
        assertThat(Metric.AVERAGE_PRECISION_SCORE_WEIGHTED.compute(TRUTH, PROBABILITIES, 2))
                .isCloseTo((0.8333333333333333 + (0.5 * 1 + 0.5 * 2.0 / 3)) / 2, within(1e-12));
        // predicted classes 0, 0, 0, 1: recall of class 0 is 1, of class 1 is 0.5; macro 0.75 normalised over chance 0.5
        assertThat(Metric.NORM_MACRO_RECALL.compute(TRUTH, PROBABILITIES, 2)).isCloseTo(0.5, within(1e-12));
        // precision of class 0 is 2/3, of class 1 is 1; both have support 2
        assertThat(Metric.PRECISION_SCORE_WEIGHTED.compute(TRUTH, PROBABILITIES, 2)).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));
        // f1 of class 0: 2 * (2/3 * 1) / (2/3 + 1) = 0.8; of class 1: 2 * (1 * 0.5) / 1.5 = 2/3
        assertThat(Metric.F1_SCORE_WEIGHTED.compute(TRUTH, PROBABILITIES, 2)).isCloseTo((0.8 + 2.0 / 3) / 2, within(1e-12));
        double logLoss = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
        assertThat(Metric.LOG_LOSS.compute(TRUTH, PROBABILITIES, 2)).isCloseTo(logLoss, within(1e-12));
    }

    @Test
    void tiedScoresCountHalfInTheAuc() {
        assertThat(Metric.AUC_WEIGHTED.compute(TRUTH, new double[][] {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}}, 2)).isEqualTo(0.5);
    }

    @Test
    void regressionMetricsMatchHandComputedValues() {
        double[] truth = {1, 2, 3, 5};
        double[][] predicted = {{1}, {3}, {2}, {5}};
        // errors 0, 1, -1, 0; range of the truth 4; mean 2.75, total sum of squares 8.75
        assertThat(Metric.NORMALIZED_ROOT_MEAN_SQUARED_ERROR.compute(truth, predicted, 0)).isCloseTo(Math.sqrt(0.5) / 4, within(1e-12));
        assertThat(Metric.NORMALIZED_MEAN_ABSOLUTE_ERROR.compute(truth, predicted, 0)).isCloseTo(0.5 / 4, within(1e-12));
        assertThat(Metric.R2_SCORE.compute(truth, predicted, 0)).isCloseTo(1 - 2 / 8.75, within(1e-12));
        // ranks 1 2 3 4 against 1 3 2 4: 1 - 6 * 2 / (4 * 15) = 0.8
        assertThat(Metric.SPEARMAN_CORRELATION.compute(truth, predicted, 0)).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void lowerIsBetterMetricsAreNegatedAsScores() {
        assertThat(Metric.NORMALIZED_ROOT_MEAN_SQUARED_ERROR.toScore(0.1)).isGreaterThan(Metric.NORMALIZED_ROOT_MEAN_SQUARED_ERROR.toScore(0.2));
        assertThat(Metric.named("auc_weighted")).isEqualTo(Metric.AUC_WEIGHTED);
    }

    @Test
    void aRowOfWeightTwoCountsAsTheRowTwiceInEveryMetric() {
        double[] truth = {0, 0, 1, 1, 2, 1};
        double[][] probabilities = {{0.7, 0.2, 0.1}, {0.3, 0.5, 0.2}, {0.2, 0.6, 0.2}, {0.5, 0.3, 0.2}, {0.1, 0.3, 0.6}, {0.2, 0.2, 0.6}};
        double[] weights = {2, 1, 3, 0, 1, 2};
        double[] values = {1, 2, 3, 5, 8, 4};
        double[][] predicted = {{1.5}, {2.5}, {2}, {5.5}, {7}, {4.5}};
        for (Metric metric : Metric.values()) {
            boolean classification = metric.task() == dev.atelier.server.models.automl.Task.CLASSIFICATION;
            double[] target = classification ? truth : values;
            double[][] predictions = classification ? probabilities : predicted;
            int classes = classification ? 3 : 0;
            java.util.List<Integer> repeated = new java.util.ArrayList<>();
            for (int i = 0; i < weights.length; i++) {
                for (int k = 0; k < weights[i]; k++) {
                    repeated.add(i);
                }
            }
            double[] repeatedTarget = repeated.stream().mapToDouble(i -> target[i]).toArray();
            double[][] repeatedPredictions = repeated.stream().map(i -> predictions[i]).toArray(double[][]::new);
            double expected = metric.compute(repeatedTarget, repeatedPredictions, classes);
            if (metric == Metric.SPEARMAN_CORRELATION) {
                continue; // ranks of repeated rows tie; weighted Spearman ranks the rows once, checked below
            }
            assertThat(metric.compute(target, predictions, classes, weights)).as(metric.azureName()).isCloseTo(expected, within(1e-12));
        }
    }

    @Test
    void weightedMetricsMatchHandComputedValues() {
        double[] weights = {1, 3, 1, 1};
        // predicted classes 0, 0, 0, 1: the wrong row (index 2) weighs 1 of 6
        assertThat(Metric.ACCURACY.compute(TRUTH, PROBABILITIES, 2, weights)).isCloseTo(5.0 / 6, within(1e-12));
        // pairs (negative, positive) weighted: (0.1, 0.35) 1, (0.1, 0.8) 1, (0.4, 0.35) 3 wrong, (0.4, 0.8) 3; of 8
        assertThat(Metric.AUC_WEIGHTED.compute(TRUTH, PROBABILITIES, 2, weights)).isCloseTo(5.0 / 8, within(1e-12));
        // weights 0 leave the rows out
        assertThat(Metric.ACCURACY.compute(TRUTH, PROBABILITIES, 2, new double[] {1, 1, 0, 1})).isEqualTo(1.0);
        assertThat(Metric.R2_SCORE.compute(new double[] {1, 2, 3}, new double[][] {{1}, {2}, {9}}, 0, new double[] {1, 1, 0})).isEqualTo(1.0);
        // weighted Spearman: the weighted Pearson correlation of the ranks; a row that breaks the order weighs nothing
        assertThat(Metric.SPEARMAN_CORRELATION.compute(new double[] {1, 2, 3, 4}, new double[][] {{1}, {2}, {4}, {3}}, 0,
                new double[] {1, 1, 0, 0})).isCloseTo(1.0, within(1e-12));
        assertThat(Metric.ACCURACY.compute(TRUTH, PROBABILITIES, 2, new double[4])).isNaN();
    }
}

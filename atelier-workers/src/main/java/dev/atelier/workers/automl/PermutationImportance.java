package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.server.models.automl.Featurizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Permutation importance of the input columns: how much the primary metric worsens when one column's values are
 * shuffled among the rows (the other columns kept), for the fitted pipeline on given rows. Deterministic for a seed.
 * Stateless.
 */
final class PermutationImportance {
    private PermutationImportance() {
    }

    /** Column to the loss of score (positive: the column helps), largest first. */
    static Map<String, Double> compute(AutoMlPipeline pipeline, Frame frame, double[] truth, Metric primary, int classes, long seed) {
        Featurizer featurizer = pipeline.featurizer();
        double base = primary.toScore(primary.compute(truth, pipeline.combination().predict(FeaturizationFit.matrix(featurizer, frame), pipeline.task()), classes));
        Random random = new Random(seed);
        Map<String, Double> importance = new LinkedHashMap<>();
        for (String column : featurizer.columns()) {
            int[] permutation = new int[frame.rows()];
            for (int i = 0; i < permutation.length; i++) {
                permutation[i] = i;
            }
            for (int i = permutation.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = swap;
            }
            List<Frame.Column> columns = new ArrayList<>();
            for (Frame.Column each : frame.columns()) {
                columns.add(each.name().equals(column) ? new Frame(List.of(each), frame.rows()).select(permutation).columns().get(0) : each);
            }
            Frame shuffled = new Frame(columns, frame.rows());
            double score = primary.toScore(primary.compute(truth,
                    pipeline.combination().predict(FeaturizationFit.matrix(featurizer, shuffled), pipeline.task()), classes));
            importance.put(column, base - score);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        importance.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }
}

package dev.atelier.server.models.automl;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A fitted AutoML pipeline: featurizer, then a {@link Combination} of learners. Predicts from rows of named columns
 * (extra columns ignored, a missing one read as missing values). Thread-safe as its learners are.
 *
 * @param inputs  the training columns (without the target) with their MLflow column types, in the training data's order
 * @param classes the class labels in the order of the probabilities (empty for regression)
 */
public record AutoMlPipeline(Task task, List<InputColumn> inputs, Featurizer featurizer, List<String> classes,
                             Combination combination) implements AutoCloseable {
    public AutoMlPipeline {
        requireNonNull(task, "task is null");
        inputs = List.copyOf(inputs);
        requireNonNull(featurizer, "featurizer is null");
        classes = List.copyOf(classes);
        requireNonNull(combination, "combination is null");
    }

    /** An input column and its signature type ({@code double}, {@code long}, {@code string}, {@code boolean}). */
    public record InputColumn(String name, String type) {
        public InputColumn {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** The features of rows of named columns (a scoring request's table). */
    public double[][] features(List<String> columns, List<List<Object>> rows) {
        double[][] features = new double[rows.size()][];
        for (int i = 0; i < features.length; i++) {
            List<Object> row = rows.get(i);
            features[i] = featurizer.features(column -> {
                int index = columns.indexOf(column);
                return index < 0 ? null : row.get(index);
            });
        }
        return features;
    }

    /** Class probabilities {@code [rows][classes]} or numbers {@code [rows][1]} of rows of named columns. */
    public double[][] predict(List<String> columns, List<List<Object>> rows) {
        return combination.predict(features(columns, rows), task);
    }

    /** The class of each row of probabilities: the first most probable one. */
    public List<String> labels(double[][] probabilities) {
        return java.util.Arrays.stream(probabilities).map(row -> classes.get(argmax(row))).toList();
    }

    /** The index of the first largest value. */
    public static int argmax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public void close() {
        combination.members().forEach(member -> member.learner().close());
        if (combination instanceof Combination.Stacked stacked) {
            stacked.meta().learner().close();
        }
    }
}

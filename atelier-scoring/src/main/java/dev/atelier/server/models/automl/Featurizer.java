package dev.atelier.server.models.automl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The fitted featurization of a pipeline: its transforms in order, each writing its features after the previous one's.
 * Immutable and thread-safe.
 */
public record Featurizer(List<ColumnTransform> transforms) {
    public Featurizer {
        transforms = List.copyOf(transforms);
    }

    /** The number of features of a row. */
    public int width() {
        return transforms.stream().mapToInt(ColumnTransform::width).sum();
    }

    /** The features' names, in order. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        transforms.forEach(transform -> names.addAll(transform.featureNames()));
        return names;
    }

    /** The columns read, in order (a column may feed several transforms). */
    public List<String> columns() {
        return transforms.stream().map(ColumnTransform::column).distinct().toList();
    }

    /** The features of one row, given its value of a column by name (null when missing). */
    public double[] features(Function<String, Object> row) {
        double[] features = new double[width()];
        int offset = 0;
        for (ColumnTransform transform : transforms) {
            transform.write(row.apply(transform.column()), features, offset);
            offset += transform.width();
        }
        return features;
    }

    /** For each transform, the index of its first feature. */
    public int[] offsets() {
        int[] offsets = new int[transforms.size()];
        int offset = 0;
        for (int i = 0; i < transforms.size(); i++) {
            offsets[i] = offset;
            offset += transforms.get(i).width();
        }
        return offsets;
    }
}

package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.ColumnTransform;
import dev.atelier.server.models.automl.Task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The target of the training data: for classification the classes (whole numbers in numeric order, else text in
 * alphabetical order; a binary {@code positive_label} is put second, as class 1) and each row's class number; for
 * regression the numbers. Rows whose target is missing are left out of training ({@link #keptRows}). Immutable.
 */
record Targets(List<String> classes, double[] values, int[] keptRows) {
    Targets {
        classes = List.copyOf(classes);
    }

    /** @throws IllegalArgumentException for a target with one class, or a regression target that is not numeric */
    static Targets of(Frame.Column target, int rows, Task task, String positiveLabel) {
        if (task == Task.REGRESSION) {
            List<Integer> kept = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                double value = ColumnTransform.number(target.value(i));
                if (!Double.isNaN(value)) {
                    kept.add(i);
                    values.add(value);
                }
            }
            if (kept.size() < rows / 2) {
                throw new IllegalArgumentException("the target column '" + target.name() + "' is not numeric, as regression needs");
            }
            return new Targets(List.of(), values.stream().mapToDouble(Double::doubleValue).toArray(), kept.stream().mapToInt(Integer::intValue).toArray());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rows; i++) {
            String key = ColumnTransform.categoryKey(target.value(i));
            if (key != null) {
                seen.add(key);
            }
        }
        List<String> classes = new ArrayList<>(seen);
        boolean numeric = classes.stream().allMatch(label -> !Double.isNaN(ColumnTransform.parseNumber(label)));
        classes.sort(numeric ? Comparator.comparingDouble(ColumnTransform::parseNumber) : Comparator.naturalOrder());
        if (classes.size() < 2) {
            throw new IllegalArgumentException("the target column '" + target.name() + "' has " + classes.size()
                    + " class(es); classification needs at least 2");
        }
        if (positiveLabel != null && classes.size() == 2) {
            String positive = ColumnTransform.categoryKey(positiveLabel);
            if (classes.remove(positive)) {
                classes.add(positive);
            }
        }
        return labelled(target, rows, classes);
    }

    /** Class numbers of another frame's target by these classes; rows with a missing or unknown class are left out. */
    static Targets labelled(Frame.Column target, int rows, List<String> classes) {
        List<Integer> kept = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int index = classes.indexOf(ColumnTransform.categoryKey(target.value(i)));
            if (index >= 0) {
                kept.add(i);
                values.add((double) index);
            }
        }
        return new Targets(classes, values.stream().mapToDouble(Double::doubleValue).toArray(), kept.stream().mapToInt(Integer::intValue).toArray());
    }

    int count() {
        return values.length;
    }
}

package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Task;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Azure's data guardrails for a training frame: missing values (imputed), high cardinality (hashed), dropped columns,
 * class imbalance (the smallest class under 20 % of the largest) and leakage-like columns (a column that alone
 * predicts the target almost perfectly: |Pearson r| >= 0.98 for a number, or every value mapping to one class/number
 * while the column has many values). Status is {@code passed}, {@code done} (featurization handled it) or
 * {@code alerted} (the user should look). Stateless.
 */
final class Guardrails {
    static final String PASSED = "passed";
    static final String DONE = "done";
    static final String ALERTED = "alerted";

    private Guardrails() {
    }

    static List<AutoMlResult.Guardrail> check(Frame frame, Frame.Column target, double[] targets, Task task,
                                              FeaturizationFit.Fitted fitted, List<String> classes) {
        List<AutoMlResult.Guardrail> guardrails = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> hashed = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        fitted.columnKinds().forEach((column, kind) -> {
            Frame.Column data = frame.column(column);
            if (!kind.startsWith("drop") && !kind.equals("ignore") && FeaturizationFit.present(data, frame.rows()) < frame.rows()) {
                missing.add(column);
            }
            if (kind.equals("categoricalhash")) {
                hashed.add(column);
            }
            if (kind.startsWith("drop")) {
                dropped.add(column + " (" + kind.substring(5).replace('_', ' ') + ")");
            }
        });
        guardrails.add(missing.isEmpty() ? new AutoMlResult.Guardrail("Missing feature values imputation", PASSED, "no missing values in the training data")
                : new AutoMlResult.Guardrail("Missing feature values imputation", DONE, "missing values imputed in " + missing));
        guardrails.add(hashed.isEmpty() ? new AutoMlResult.Guardrail("High cardinality feature detection", PASSED, "no high-cardinality column")
                : new AutoMlResult.Guardrail("High cardinality feature detection", DONE, "hashed into " + FeaturizationFit.HASH_BUCKETS + " features: " + hashed));
        if (!dropped.isEmpty()) {
            guardrails.add(new AutoMlResult.Guardrail("Dropped columns", DONE, "not used: " + dropped));
        }
        if (task == Task.CLASSIFICATION) {
            long[] counts = new long[classes.size()];
            for (double value : targets) {
                counts[(int) value]++;
            }
            long smallest = Arrays.stream(counts).min().orElse(0);
            long largest = Arrays.stream(counts).max().orElse(0);
            int minority = indexOf(counts, smallest);
            guardrails.add(smallest < 0.2 * largest
                    ? new AutoMlResult.Guardrail("Class balancing detection", ALERTED, "class '" + classes.get(minority) + "' has "
                    + smallest + " rows, the largest class " + largest + ": consider weights, more data or AUC_weighted")
                    : new AutoMlResult.Guardrail("Class balancing detection", PASSED, "classes are balanced enough (" + smallest + " to " + largest + " rows)"));
        }
        List<String> leaks = new ArrayList<>();
        for (String column : fitted.columnKinds().keySet()) {
            Frame.Column data = frame.column(column);
            if (data != target && !fitted.columnKinds().get(column).startsWith("drop") && leaks(data, targets, frame.rows())) {
                leaks.add(column);
            }
        }
        guardrails.add(leaks.isEmpty() ? new AutoMlResult.Guardrail("Leakage detection", PASSED, "no column alone predicts the target")
                : new AutoMlResult.Guardrail("Leakage detection", ALERTED, "these columns alone predict the target almost perfectly; "
                + "check that they are known at prediction time: " + leaks));
        return guardrails;
    }

    private static int indexOf(long[] counts, long value) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == value) {
                return i;
            }
        }
        return 0;
    }

    private static boolean leaks(Frame.Column column, double[] targets, int rows) {
        if (column instanceof Frame.Numeric numeric) {
            double r = Metric.pearson(presentOnly(numeric.values(), numeric.values()), presentOnly(numeric.values(), targets));
            if (Math.abs(r) >= 0.98) {
                return true;
            }
        }
        Map<String, Double> seen = new HashMap<>();
        int present = 0;
        for (int i = 0; i < rows; i++) {
            String key = dev.atelier.server.models.automl.ColumnTransform.categoryKey(column.value(i));
            if (key == null) {
                continue;
            }
            present++;
            Double before = seen.putIfAbsent(key, targets[i]);
            if (before != null && before != targets[i]) {
                return false;
            }
        }
        return seen.size() >= 3 && seen.size() <= present / 3;
    }

    private static double[] presentOnly(double[] values, double[] of) {
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                kept.add(of[i]);
            }
        }
        return kept.stream().mapToDouble(Double::doubleValue).toArray();
    }
}

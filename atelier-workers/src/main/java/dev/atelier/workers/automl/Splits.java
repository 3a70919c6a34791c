package dev.atelier.workers.automl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How trials are validated: train/test index pairs over the rows of one feature matrix. Cross-validation folds
 * (stratified by class for classification), a holdout drawn from the training rows, or given validation rows. The
 * evaluated rows are the union of the test sets, each evaluated once. Immutable.
 */
public record Splits(List<Split> splits, int[] evaluated, String description) {
    public Splits {
        splits = List.copyOf(splits);
    }

    /** One train/test pair. */
    public record Split(int[] train, int[] test) {
    }

    /** Rows below which {@code n_cross_validations: auto} means 5-fold cross-validation (Azure's rule of thumb). */
    static final int AUTO_CROSS_VALIDATION_ROWS = 20_000;

    /**
     * @param folds    0 for auto: 5-fold cross-validation under 20 000 rows unless {@code holdout} is given, else a holdout
     * @param classes  each row's class number (null for regression), to stratify
     * @param holdout  the fraction held out when not cross-validating (validation_data_size; null: 10 %)
     */
    public static Splits of(int rows, int folds, Double holdout, double[] classes, long seed) {
        if (folds == 0 && holdout == null && rows < AUTO_CROSS_VALIDATION_ROWS) {
            folds = 5;
        }
        if (folds >= 2) {
            return crossValidation(rows, Math.min(folds, rows), classes, seed);
        }
        double fraction = holdout == null || holdout <= 0 || holdout >= 1 ? 0.1 : holdout;
        int[] order = shuffledStrata(rows, classes, new Random(seed));
        int period = (int) Math.max(2, Math.round(1 / fraction));
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            (i % period == 0 ? test : train).add(order[i]);
        }
        int[] testRows = sorted(test);
        return new Splits(List.of(new Split(sorted(train), testRows)), testRows,
                "holdout of " + Math.round(fraction * 100) + " % (" + testRows.length + " rows)");
    }

    /** Training rows {@code 0..trainRows-1} against given validation rows {@code trainRows..trainRows+validationRows-1}. */
    public static Splits validationData(int trainRows, int validationRows) {
        int[] train = range(0, trainRows);
        int[] test = range(trainRows, trainRows + validationRows);
        return new Splits(List.of(new Split(train, test)), test, "validation_data (" + validationRows + " rows)");
    }

    private static Splits crossValidation(int rows, int folds, double[] classes, long seed) {
        int[] order = shuffledStrata(rows, classes, new Random(seed));
        List<List<Integer>> testFolds = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            testFolds.add(new ArrayList<>());
        }
        for (int i = 0; i < order.length; i++) {
            testFolds.get(i % folds).add(order[i]);
        }
        List<Split> splits = new ArrayList<>();
        for (int f = 0; f < folds; f++) {
            List<Integer> train = new ArrayList<>();
            for (int g = 0; g < folds; g++) {
                if (g != f) {
                    train.addAll(testFolds.get(g));
                }
            }
            splits.add(new Split(sorted(train), sorted(testFolds.get(f))));
        }
        return new Splits(splits, range(0, rows), folds + "-fold cross-validation" + (classes == null ? "" : ", stratified"));
    }

    /** Rows shuffled, then (for classification) grouped class by class so that dealing them round-robin stratifies. */
    private static int[] shuffledStrata(int rows, double[] classes, Random random) {
        Integer[] order = new Integer[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        if (classes != null) {
            Arrays.sort(order, (a, b) -> Double.compare(classes[a], classes[b]));
        }
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private static int[] sorted(List<Integer> rows) {
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static int[] range(int from, int to) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return rows;
    }
}

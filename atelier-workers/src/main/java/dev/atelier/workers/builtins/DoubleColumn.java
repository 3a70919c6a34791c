package dev.atelier.workers.builtins;

import java.util.Arrays;

/**
 * The numbers of one column as they are read: count, sum, sum of squares, minimum and maximum always; the values
 * themselves only when {@code keepValues} (for a median or quantiles), in a primitive array. Not thread-safe.
 */
final class DoubleColumn {
    private final boolean keepValues;
    private double[] values = new double[0];
    private long count;
    private double sum;
    private double sumOfSquares;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    DoubleColumn(boolean keepValues) {
        this.keepValues = keepValues;
        if (keepValues) {
            values = new double[1024];
        }
    }

    void add(double value) {
        if (keepValues) {
            if (count == values.length) {
                values = Arrays.copyOf(values, Math.toIntExact(Math.min(Integer.MAX_VALUE - 8L, values.length * 2L)));
            }
            values[(int) count] = value;
        }
        count++;
        sum += value;
        sumOfSquares += value * value;
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    long count() {
        return count;
    }

    double mean() {
        return sum / count;
    }

    /** The population standard deviation. */
    double standardDeviation() {
        double mean = mean();
        return Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean));
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** The values read, in order (only when {@code keepValues}). */
    double[] values() {
        if (!keepValues) {
            throw new IllegalStateException("values were not kept");
        }
        return Arrays.copyOf(values, (int) count);
    }

    double median() {
        if (!keepValues) {
            throw new IllegalStateException("values were not kept");
        }
        double[] sorted = Arrays.copyOf(values, (int) count);
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

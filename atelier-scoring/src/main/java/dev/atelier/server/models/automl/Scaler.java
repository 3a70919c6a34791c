package dev.atelier.server.models.automl;

/**
 * Standardisation for learners that need features on one scale (linear models, k-nearest neighbours): each feature
 * minus its training mean, divided by its training standard deviation (1 when constant). Immutable.
 */
public record Scaler(double[] means, double[] deviations) {
    public Scaler {
        means = means.clone();
        deviations = deviations.clone();
    }

    /** Fits the means and deviations of {@code rows}. */
    public static Scaler fit(double[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        double[] means = new double[width];
        double[] deviations = new double[width];
        for (double[] row : rows) {
            for (int j = 0; j < width; j++) {
                means[j] += row[j];
            }
        }
        for (int j = 0; j < width; j++) {
            means[j] /= Math.max(1, rows.length);
        }
        for (double[] row : rows) {
            for (int j = 0; j < width; j++) {
                deviations[j] += (row[j] - means[j]) * (row[j] - means[j]);
            }
        }
        for (int j = 0; j < width; j++) {
            double deviation = Math.sqrt(deviations[j] / Math.max(1, rows.length));
            deviations[j] = deviation > 1e-12 ? deviation : 1;
        }
        return new Scaler(means, deviations);
    }

    /** The scaled copy of {@code rows}. */
    public double[][] apply(double[][] rows) {
        double[][] scaled = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            scaled[i] = new double[rows[i].length];
            for (int j = 0; j < rows[i].length; j++) {
                scaled[i][j] = (rows[i][j] - means[j]) / deviations[j];
            }
        }
        return scaled;
    }
}

package dev.atelier.server.models.automl;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A fitted learner of a pipeline: from rows of features to, for a classifier of {@code classes} classes, each class's
 * probability (classes numbered 0..n-1 in the pipeline's order), or for a regressor one number per row. Thread-safe:
 * XGBoost's, LightGBM's and Tribuo's predictions are, and k-nearest neighbours only reads.
 */
public sealed interface Learner permits Learner.Xgboost, Learner.Tribuo, Learner.NearestNeighbours, LightGbmLearner {
    /** {@code [rows][classes]} probabilities, or {@code [rows][1]} numbers for regression. */
    double[][] predict(double[][] rows);

    /** Releases native memory (XGBoost); a no-op for the others. */
    default void close() {
    }

    /** An XGBoost booster: {@code binary:logistic}, {@code multi:softprob} or a regression objective. */
    final class Xgboost implements Learner {
        private final Booster booster;
        private final int classes;

        public Xgboost(Booster booster, int classes) {
            this.booster = requireNonNull(booster, "booster is null");
            this.classes = classes;
        }

        public Booster booster() {
            return booster;
        }

        public int classes() {
            return classes;
        }

        @Override
        public double[][] predict(double[][] rows) {
            int width = rows.length == 0 ? 0 : rows[0].length;
            float[] data = new float[rows.length * width];
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < width; j++) {
                    data[i * width + j] = (float) rows[i][j];
                }
            }
            float[][] raw;
            try {
                raw = rows.length == 0 ? new float[0][] : booster.inplace_predict(data, rows.length, width, Float.NaN);
            } catch (XGBoostError e) {
                throw new IllegalStateException("xgboost cannot predict: " + e.getMessage(), e);
            }
            double[][] answer = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                if (classes == 2 && raw[i].length == 1) {
                    answer[i] = new double[] {1 - raw[i][0], raw[i][0]};
                } else {
                    answer[i] = new double[raw[i].length];
                    for (int j = 0; j < raw[i].length; j++) {
                        answer[i][j] = raw[i][j];
                    }
                }
            }
            return answer;
        }

        @Override
        public void close() {
            booster.dispose();
        }
    }

    /**
     * A Tribuo model over features named {@link #featureName}: a classifier whose labels are the class numbers
     * ({@code "0"}, {@code "1"}...), or a regressor of one dimension.
     */
    record Tribuo(Model<?> model, int classes) implements Learner {
        public Tribuo {
            requireNonNull(model, "model is null");
        }

        /** The name of feature {@code index} in Tribuo's examples. */
        public static String featureName(int index) {
            return String.format("f%05d", index);
        }

        /** Feature names for rows of {@code width}. */
        public static String[] featureNames(int width) {
            String[] names = new String[width];
            for (int j = 0; j < width; j++) {
                names[j] = featureName(j);
            }
            return names;
        }

        @Override
        @SuppressWarnings("unchecked")
        public double[][] predict(double[][] rows) {
            int width = rows.length == 0 ? 0 : rows[0].length;
            String[] names = featureNames(width);
            double[][] answer = new double[rows.length][];
            if (classes > 0) {
                Model<Label> classifier = (Model<Label>) model;
                List<Example<Label>> examples = new ArrayList<>();
                for (double[] row : rows) {
                    examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, names, row.clone()));
                }
                List<Prediction<Label>> predictions = classifier.predict(examples);
                for (int i = 0; i < rows.length; i++) {
                    double[] probabilities = new double[classes];
                    Prediction<Label> prediction = predictions.get(i);
                    Map<String, Label> scores = prediction.getOutputScores();
                    if (prediction.hasProbabilities() && !scores.isEmpty()) {
                        scores.forEach((name, label) -> probabilities[Integer.parseInt(name)] = label.getScore());
                    } else {
                        probabilities[Integer.parseInt(prediction.getOutput().getLabel())] = 1;
                    }
                    answer[i] = probabilities;
                }
            } else {
                Model<Regressor> regressor = (Model<Regressor>) model;
                List<Example<Regressor>> examples = new ArrayList<>();
                for (double[] row : rows) {
                    examples.add(new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, names, row.clone()));
                }
                List<Prediction<Regressor>> predictions = regressor.predict(examples);
                for (int i = 0; i < rows.length; i++) {
                    answer[i] = new double[] {predictions.get(i).getOutput().getValues()[0]};
                }
            }
            return answer;
        }
    }

    /**
     * k-nearest neighbours by Euclidean distance over scaled features: the mean (or inverse-distance weighted mean) of
     * the neighbours' targets, which are one-hot class vectors for a classifier.
     */
    record NearestNeighbours(int k, boolean distanceWeighted, double[][] points, double[][] targets) implements Learner {
        public NearestNeighbours {
            if (k < 1 || points.length != targets.length || points.length == 0) {
                throw new IllegalArgumentException("k-nearest neighbours needs k >= 1 and as many targets as points");
            }
        }

        @Override
        public double[][] predict(double[][] rows) {
            int neighbours = Math.min(k, points.length);
            int outputs = targets[0].length;
            double[][] answer = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                int[] nearest = new int[neighbours];
                double[] distances = new double[neighbours];
                java.util.Arrays.fill(distances, Double.POSITIVE_INFINITY);
                for (int p = 0; p < points.length; p++) {
                    double distance = 0;
                    double[] point = points[p];
                    for (int j = 0; j < point.length && distance < distances[neighbours - 1]; j++) {
                        double difference = rows[r][j] - point[j];
                        distance += difference * difference;
                    }
                    if (distance < distances[neighbours - 1]) {
                        int at = neighbours - 1;
                        while (at > 0 && distances[at - 1] > distance) {
                            distances[at] = distances[at - 1];
                            nearest[at] = nearest[at - 1];
                            at--;
                        }
                        distances[at] = distance;
                        nearest[at] = p;
                    }
                }
                double[] sum = new double[outputs];
                double total = 0;
                for (int n = 0; n < neighbours; n++) {
                    double weight = distanceWeighted ? 1 / (Math.sqrt(distances[n]) + 1e-9) : 1;
                    for (int o = 0; o < outputs; o++) {
                        sum[o] += weight * targets[nearest[n]][o];
                    }
                    total += weight;
                }
                for (int o = 0; o < outputs; o++) {
                    sum[o] /= total;
                }
                answer[r] = sum;
            }
            return answer;
        }
    }
}

package dev.atelier.workers.automl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atelier.server.models.automl.AutoMlPipeline;
import dev.atelier.server.models.automl.Task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The best run's charts, each as {@code charts/<name>.json} (the numbers) and {@code charts/<name>.svg}: for
 * classification ROC and precision-recall curves (one-vs-rest, the positive class only for two classes), the
 * confusion matrix and a 10-bin calibration curve; for regression a residual histogram and predicted against true
 * values (at most {@link #POINTS} points). Computed from the predictions of the evaluated rows; AutoML's best run and the
 * designer's evaluate_model write them. Stateless.
 */
public final class Charts {
    static final int POINTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Charts() {
    }

    public static void write(Path folder, Task task, List<String> classes, double[] truth, double[][] predictions) throws IOException {
        Files.createDirectories(folder);
        if (task == Task.REGRESSION) {
            regression(folder, truth, predictions);
            return;
        }
        List<Integer> shown = new ArrayList<>();
        for (int c = classes.size() == 2 ? 1 : 0; c < classes.size(); c++) {
            shown.add(c);
        }
        List<Svg.Series> roc = new ArrayList<>();
        List<Svg.Series> pr = new ArrayList<>();
        Map<String, Object> rocJson = new LinkedHashMap<>();
        Map<String, Object> prJson = new LinkedHashMap<>();
        for (int c : shown) {
            double[][] curve = curve(truth, Metric.column(predictions, c), c);
            roc.add(new Svg.Series(classes.get(c), curve[0], curve[1]));
            pr.add(new Svg.Series(classes.get(c), curve[1], curve[2]));
            rocJson.put(classes.get(c), Map.of("false_positive_rate", curve[0], "true_positive_rate", curve[1]));
            prJson.put(classes.get(c), Map.of("recall", curve[1], "precision", curve[2]));
        }
        save(folder, "roc_curve", rocJson, Svg.lines("ROC", "false positive rate", "true positive rate", roc, false));
        save(folder, "precision_recall_curve", prJson, Svg.lines("Precision-recall", "recall", "precision", pr, false));
        long[][] confusion = Metric.confusion(truth, predictions, classes.size());
        save(folder, "confusion_matrix", Map.of("labels", classes, "matrix", confusion), Svg.heatmap("Confusion matrix", classes, confusion));
        calibration(folder, truth, predictions, classes.size());
    }

    /** [false positive rates, true positive rates (recall), precisions], one point per distinct score, thinned. */
    private static double[][] curve(double[] truth, double[] scores, int positiveClass) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        long positives = Arrays.stream(truth).filter(t -> (int) t == positiveClass).count();
        long negatives = truth.length - positives;
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0, 1});
        long tp = 0;
        long fp = 0;
        for (int i = 0; i < order.length; i++) {
            if ((int) truth[order[i]] == positiveClass) {
                tp++;
            } else {
                fp++;
            }
            if (i == order.length - 1 || scores[order[i + 1]] != scores[order[i]]) {
                points.add(new double[] {negatives == 0 ? 0 : (double) fp / negatives, positives == 0 ? 0 : (double) tp / positives,
                        (double) tp / (tp + fp)});
            }
        }
        int step = Math.max(1, points.size() / 200);
        List<double[]> thinned = new ArrayList<>();
        for (int i = 0; i < points.size(); i += step) {
            thinned.add(points.get(i));
        }
        if (thinned.get(thinned.size() - 1) != points.get(points.size() - 1)) {
            thinned.add(points.get(points.size() - 1));
        }
        double[][] curve = new double[3][thinned.size()];
        for (int i = 0; i < thinned.size(); i++) {
            for (int k = 0; k < 3; k++) {
                curve[k][i] = thinned.get(i)[k];
            }
        }
        return curve;
    }

    /** Binned probability of the predicted class against how often it was right (the positive class for two classes). */
    private static void calibration(Path folder, double[] truth, double[][] predictions, int classes) throws IOException {
        double[] sumPredicted = new double[10];
        double[] sumObserved = new double[10];
        long[] counts = new long[10];
        for (int i = 0; i < truth.length; i++) {
            int c = classes == 2 ? 1 : AutoMlPipeline.argmax(predictions[i]);
            double p = predictions[i][c];
            int bin = Math.min(9, (int) (p * 10));
            sumPredicted[bin] += p;
            sumObserved[bin] += (int) truth[i] == c ? 1 : 0;
            counts[bin]++;
        }
        List<Double> predicted = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            if (counts[b] > 0) {
                predicted.add(sumPredicted[b] / counts[b]);
                observed.add(sumObserved[b] / counts[b]);
                sizes.add(counts[b]);
            }
        }
        double[] x = predicted.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = observed.stream().mapToDouble(Double::doubleValue).toArray();
        save(folder, "calibration_curve", Map.of("mean_predicted_probability", x, "fraction_positive", y, "counts", sizes),
                Svg.lines("Calibration", "mean predicted probability", "fraction correct",
                        List.of(new Svg.Series("model", x, y), new Svg.Series("ideal", new double[] {0, 1}, new double[] {0, 1})), false));
    }

    private static void regression(Path folder, double[] truth, double[][] predictions) throws IOException {
        double[] predicted = Metric.column(predictions, 0);
        double[] residuals = new double[truth.length];
        for (int i = 0; i < truth.length; i++) {
            residuals[i] = truth[i] - predicted[i];
        }
        double min = Arrays.stream(residuals).min().orElse(0);
        double max = Arrays.stream(residuals).max().orElse(0);
        double width = max > min ? (max - min) / 20 : 1;
        double[] edges = new double[20];
        double[] counts = new double[20];
        for (int b = 0; b < 20; b++) {
            edges[b] = min + b * width;
        }
        for (double residual : residuals) {
            counts[Math.min(19, (int) ((residual - min) / width))]++;
        }
        save(folder, "residuals", Map.of("bin_starts", edges, "bin_width", width, "counts", counts),
                Svg.lines("Residuals", "true - predicted", "rows", List.of(new Svg.Series("count", edges, counts)), false));
        int[] shown = Fitting.sample(truth.length, POINTS, 0);
        double[] x = new double[shown.length];
        double[] y = new double[shown.length];
        for (int i = 0; i < shown.length; i++) {
            x[i] = truth[shown[i]];
            y[i] = predicted[shown[i]];
        }
        double low = Math.min(Arrays.stream(x).min().orElse(0), Arrays.stream(y).min().orElse(0));
        double high = Math.max(Arrays.stream(x).max().orElse(1), Arrays.stream(y).max().orElse(1));
        String svg = Svg.lines("Predicted vs true", "true", "predicted",
                List.of(new Svg.Series("rows", x, y), new Svg.Series("ideal", new double[] {low, high}, new double[] {low, high})), true);
        save(folder, "predicted_vs_true", Map.of("true", x, "predicted", y), svg);
    }

    private static void save(Path folder, String name, Object json, String svg) throws IOException {
        JSON.writeValue(folder.resolve(name + ".json").toFile(), json);
        Files.writeString(folder.resolve(name + ".svg"), svg, StandardCharsets.UTF_8);
    }
}

package dev.atelier.server.models;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny models trained in milliseconds for tests: two features {@code x0}, {@code x1} in [0, 1] on a
 * grid, the class {@code yes} when {@code x0 + x1 > 1}.
 */
public final class TinyModels {
    public static final List<String> FEATURES = List.of("x0", "x1");

    private TinyModels() {
    }

    /** The 36 points of a 6x6 grid over [0, 1]². */
    public static List<double[]> grid() {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                points.add(new double[] {i / 5.0, j / 5.0});
            }
        }
        return points;
    }

    /** A few points off the grid, to predict on. */
    public static List<double[]> probes() {
        return List.of(new double[] {0.05, 0.1}, new double[] {0.9, 0.8}, new double[] {0.45, 0.6}, new double[] {0.7, 0.2});
    }

    public static boolean positive(double[] point) {
        return point[0] + point[1] > 1;
    }

    /** Tribuo's logistic regression (a {@code LinearSGDModel}, exportable to ONNX). */
    public static Model<Label> tribuoLogistic() {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("grid", factory), factory);
        for (double[] point : grid()) {
            dataset.add(new ArrayExample<>(new Label(positive(point) ? "yes" : "no"), FEATURES.toArray(String[]::new), point.clone()));
        }
        return new LogisticRegressionTrainer().train(dataset);
    }

    /** An XGBoost booster with {@code binary:logistic}; its predictions are probabilities of {@code yes}. */
    public static Booster xgboost() throws XGBoostError {
        List<double[]> points = grid();
        float[] data = new float[points.size() * 2];
        float[] labels = new float[points.size()];
        for (int i = 0; i < points.size(); i++) {
            data[2 * i] = (float) points.get(i)[0];
            data[2 * i + 1] = (float) points.get(i)[1];
            labels[i] = positive(points.get(i)) ? 1 : 0;
        }
        DMatrix train = new DMatrix(data, points.size(), 2, Float.NaN);
        train.setLabel(labels);
        Map<String, Object> params = new HashMap<>();
        params.put("objective", "binary:logistic");
        params.put("max_depth", 2);
        params.put("eta", 0.5);
        params.put("nthread", 1);
        params.put("seed", 7);
        Booster booster = XGBoost.train(train, params, 5, Map.of(), null, null);
        train.dispose();
        return booster;
    }

    /** The probes as a row-major float matrix. */
    public static float[] probeFloats() {
        List<double[]> probes = probes();
        float[] values = new float[probes.size() * 2];
        for (int i = 0; i < probes.size(); i++) {
            values[2 * i] = (float) probes.get(i)[0];
            values[2 * i + 1] = (float) probes.get(i)[1];
        }
        return values;
    }

    /** The probes as a table with columns {@code x0}, {@code x1}. */
    public static Table probeTable() {
        List<List<Object>> rows = new ArrayList<>();
        for (double[] probe : probes()) {
            rows.add(List.of(probe[0], probe[1]));
        }
        return new Table(FEATURES, rows);
    }

    /** The probes as one tensor {@code [rows, 2]} of float32. */
    public static Tensors probeTensor(String name) {
        List<Object> values = new ArrayList<>();
        for (float value : probeFloats()) {
            values.add(value);
        }
        return Tensors.of(new Tensor(name, TensorType.FP32, List.of((long) probes().size(), 2L), values));
    }
}

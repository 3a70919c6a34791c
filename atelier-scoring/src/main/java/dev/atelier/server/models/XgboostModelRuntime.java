package dev.atelier.server.models;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.TensorSpec;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An XGBoost model (flavor {@code xgboost}, file named by {@code data}: {@code model.json},
 * {@code model.ubj} or the older binary {@code model.xgb}, as Python's or Java's XGBoost saves them).
 * Takes a table (columns picked by the booster's feature names, else by the signature's input
 * columns, else in order) or one tensor {@code [rows, features]}; missing values are NaN. Answers the
 * tensor {@code predictions}: the booster's raw output ({@code [rows]} or {@code [rows, classes]}), or
 * class labels ({@code INT64}) when the flavor's {@code model_class} is a scikit-learn classifier,
 * as MLflow's pyfunc answers. Thread-safe: XGBoost's prediction is.
 */
public final class XgboostModelRuntime implements ModelRuntime {
    public static final String FLAVOR = "xgboost";
    public static final String PREDICTIONS = "predictions";

    private final Booster booster;
    private final List<String> featureNames;
    private final int featureCount;
    private final boolean classifier;
    private final ModelSignature signature;

    private XgboostModelRuntime(Booster booster, List<String> featureNames, int featureCount, boolean classifier, ModelSignature signature) {
        this.booster = booster;
        this.featureNames = featureNames;
        this.featureCount = featureCount;
        this.classifier = classifier;
        this.signature = signature;
    }

    /** Loads {@code xgboost} models. */
    public static final class Factory implements ModelRuntimeFactory {
        @Override
        public String flavor() {
            return FLAVOR;
        }

        @Override
        public ModelRuntime load(Path directory, MlModel model) {
            Path file = MlModelDirectory.flavorFile(directory, model, FLAVOR, "data");
            Booster booster;
            try {
                booster = XGBoost.loadModel(Files.readAllBytes(file));
                // one thread per prediction: a server predicts for concurrent requests, and XGBoost's
                // OpenMP threads spin against each other on a busy machine (10x slower measured)
                booster.setParam("nthread", 1);
            } catch (XGBoostError | IOException e) {
                throw AtelierException.invalidParameter("the xgboost model file '" + file.getFileName() + "' cannot be loaded: " + e.getMessage());
            }
            try {
                String[] names = booster.getFeatureNames();
                boolean named = names != null && names.length > 0 && Arrays.stream(names).allMatch(name -> name != null && !name.isEmpty());
                List<String> featureNames = named ? List.of(names) : DeclaredSignature.inputColumns(model);
                int featureCount = Math.toIntExact(booster.getNumFeature());
                boolean classifier = model.flavorText(FLAVOR, "model_class").orElse("").endsWith("Classifier");
                Schema inputs = featureNames.isEmpty()
                        ? Schema.of(TensorSpec.of("input", "float32", -1, featureCount))
                        : DeclaredSignature.doubleColumns(featureNames);
                Schema outputs = Schema.of(TensorSpec.of(PREDICTIONS, classifier ? "int64" : "float32", -1));
                return new XgboostModelRuntime(booster, featureNames, featureCount, classifier,
                        DeclaredSignature.merge(model, inputs, outputs));
            } catch (XGBoostError | RuntimeException e) {
                booster.dispose();
                throw e instanceof AtelierException atelier ? atelier
                        : new AtelierException(ErrorCode.INVALID_PARAMETER_VALUE, "the xgboost model cannot be described: " + e, e);
            }
        }
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    /** Whether the flavor names a scikit-learn classifier (its predictions are class indexes). */
    public boolean classifier() {
        return classifier;
    }

    /**
     * A classifier's probability of each class, {@code [rows, classes]} (a binary booster's one probability becomes the
     * two classes'), for callers that want more than MLflow's class indexes (the designer's score_model).
     *
     * @throws IllegalStateException for a regressor
     */
    public double[][] probabilities(ModelInput input) {
        if (!classifier) {
            throw new IllegalStateException("the xgboost model is a regressor; it has no class probabilities");
        }
        float[][] raw = raw(input);
        double[][] probabilities = new double[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            float[] row = raw[i];
            double[] values = row.length == 1 ? new double[] {1 - row[0], row[0]} : new double[row.length];
            for (int c = 0; row.length > 1 && c < row.length; c++) {
                values[c] = row[c];
            }
            probabilities[i] = values;
        }
        return probabilities;
    }

    @Override
    public ModelOutput predict(ModelInput input) {
        float[][] raw = raw(input);
        int width = raw.length == 0 ? 1 : raw[0].length;
        List<Object> values = new ArrayList<>();
        if (classifier) {
            for (float[] row : raw) {
                values.add(width == 1 ? (row[0] > 0.5f ? 1L : 0L) : (long) argmax(row));
            }
            return Tensors.of(new Tensor(PREDICTIONS, TensorType.INT64, List.of((long) raw.length), values));
        }
        for (float[] row : raw) {
            for (float value : row) {
                values.add(value);
            }
        }
        List<Long> shape = width == 1 ? List.of((long) raw.length) : List.of((long) raw.length, (long) width);
        return Tensors.of(new Tensor(PREDICTIONS, TensorType.FP32, shape, values));
    }

    private float[][] raw(ModelInput input) {
        FeatureMatrix matrix = FeatureMatrix.of(input, featureNames.size() == featureCount ? featureNames : List.of(), featureCount);
        float[][] raw;
        try {
            DMatrix data = new DMatrix(matrix.floats(), matrix.rows(), matrix.columns(), Float.NaN);
            try {
                raw = booster.predict(data);
            } finally {
                data.dispose();
            }
        } catch (XGBoostError e) {
            throw AtelierException.invalidParameter("the xgboost model refused the input: " + e.getMessage());
        }
        return raw;
    }

    private static int argmax(float[] row) {
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
        booster.dispose();
    }
}

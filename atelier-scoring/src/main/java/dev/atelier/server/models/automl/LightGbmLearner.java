package dev.atelier.server.models.automl;

import com.microsoft.ml.lightgbm.PredictionType;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMException;

import static java.util.Objects.requireNonNull;

/**
 * A LightGBM booster (lightgbm4j, LightGBM's C library through JNI; its Linux, macOS and Windows builds ship in the
 * jar): objective {@code binary} or {@code regression}. Not multiclass: lightgbm4j 4.1.0-1's {@code predictForMat}
 * allocates two values a row for the answer, which a multiclass model's k values a row overrun (heap corruption), so
 * a learner of more than two classes is refused. Saved and loaded as LightGBM's text model ({@link #text()}).
 * Thread-safe: LightGBM's prediction locks the booster.
 */
public record LightGbmLearner(LGBMBooster booster, int classes) implements Learner {
    public LightGbmLearner {
        requireNonNull(booster, "booster is null");
        if (classes > 2) {
            throw new IllegalArgumentException("a LightGBM learner of " + classes + " classes cannot predict through lightgbm4j 4.1.0-1");
        }
    }

    /** Loads a booster from LightGBM's text model format. */
    public static LightGbmLearner load(String text, int classes) {
        LightGbmNative.load();
        try {
            return new LightGbmLearner(LGBMBooster.loadModelFromString(text), classes);
        } catch (LGBMException e) {
            throw new IllegalArgumentException("the LightGBM model cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** The model in LightGBM's text format (every iteration). */
    public String text() {
        return booster.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
    }

    @Override
    public double[][] predict(double[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        if (rows.length == 0) {
            return new double[0][];
        }
        double[] data = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, data, i * width, width);
        }
        double[] raw;
        try {
            raw = booster.predictForMat(data, rows.length, width, true, PredictionType.C_API_PREDICT_NORMAL);
        } catch (LGBMException e) {
            throw new IllegalStateException("LightGBM cannot predict: " + e.getMessage(), e);
        }
        double[][] answer = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (classes == 2) {
                answer[i] = new double[] {1 - raw[i], raw[i]};
            } else {
                answer[i] = new double[] {raw[i]};
            }
        }
        return answer;
    }

    @Override
    public void close() {
        try {
            booster.close();
        } catch (LGBMException e) {
            throw new IllegalStateException("LightGBM cannot free its booster: " + e.getMessage(), e);
        }
    }
}

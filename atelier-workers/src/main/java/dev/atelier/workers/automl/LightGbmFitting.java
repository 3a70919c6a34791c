package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Learner;
import dev.atelier.server.models.automl.LightGbmLearner;
import dev.atelier.server.models.automl.LightGbmNative;
import dev.atelier.server.models.automl.Task;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;

import java.util.Locale;
import java.util.Map;

/**
 * Fits a LightGBM booster (lightgbm4j): {@code binary}, {@code multiclass} or {@code regression} objective, the
 * configuration's scikit-learn-style names mapped to LightGBM's ({@code subsample} is {@code bagging_fraction},
 * {@code colsample_bytree} {@code feature_fraction}, {@code min_child_samples} {@code min_data_in_leaf},
 * {@code reg_lambda} {@code lambda_l2}), deterministic for a seed, boosted round by round so that a fit past its
 * deadline stops ({@link Fitting.DeadlinePassed}). Two classes at most: see {@link #MULTICLASS_LIMIT}. Stateless;
 * thread-safe.
 */
final class LightGbmFitting {
    /** Why a classification of more than two classes leaves LightGBM out. */
    static final String MULTICLASS_LIMIT = "lightgbm4j 4.1.0-1's predictForMat allocates 2 values a row for its answer, "
            + "so a multiclass model's k per row overrun it";

    private LightGbmFitting() {
    }

    static Learner fit(Map<String, Object> config, Task task, double[][] features, Fitting.Data data, long seed, int threads,
                       long deadline) {
        int rows = features.length;
        int width = rows == 0 ? 0 : features[0].length;
        double[] flat = new double[rows * width];
        float[] labels = new float[rows];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(features[i], 0, flat, i * width, width);
            labels[i] = (float) data.targets()[i];
        }
        int classes = task == Task.REGRESSION ? 0 : data.classes();
        if (classes > 2) {
            throw new IllegalArgumentException("LightGBM is not trained on " + classes + " classes: " + MULTICLASS_LIMIT);
        }
        String objective = classes == 0 ? "objective=regression" : "objective=binary";
        double subsample = Fitting.number(config, "subsample");
        String params = String.format(Locale.ROOT, "%s num_leaves=%d learning_rate=%s bagging_fraction=%s bagging_freq=%d "
                        + "feature_fraction=%s min_data_in_leaf=%d lambda_l2=%s num_threads=%d seed=%d deterministic=true "
                        + "force_row_wise=true verbose=-1",
                objective, (int) Fitting.number(config, "num_leaves"), Fitting.number(config, "learning_rate"), subsample,
                subsample < 1 ? 1 : 0, Fitting.number(config, "colsample_bytree"), (int) Fitting.number(config, "min_child_samples"),
                Fitting.number(config, "reg_lambda"), Math.max(0, threads), seed);
        int rounds = (int) Fitting.number(config, "n_estimators");
        try (LGBMDataset dataset = dataset(flat, rows, width, params)) {
            dataset.setField("label", labels);
            if (data.weights() != null) {
                float[] weights = new float[rows];
                for (int i = 0; i < rows; i++) {
                    weights[i] = (float) data.weights()[i];
                }
                dataset.setField("weight", weights);
            }
            LGBMBooster booster = LGBMBooster.create(dataset, params);
            try {
                for (int round = 0; round < rounds; round++) {
                    if (System.nanoTime() > deadline) {
                        throw new Fitting.DeadlinePassed();
                    }
                    if (booster.updateOneIter()) {
                        break; // no further split improves the fit
                    }
                }
            } catch (RuntimeException | LGBMException e) {
                booster.close();
                throw e;
            }
            return new LightGbmLearner(booster, classes);
        } catch (LGBMException e) {
            throw new IllegalStateException("LightGBM failed: " + e.getMessage(), e);
        } catch (LinkageError e) { // its native library did not load here: a Failed trial, not a failed search
            throw new IllegalStateException("LightGBM's native library did not load: " + e, e);
        }
    }

    /** The rows as a LightGBM dataset, its native library loaded first from a private folder ({@link LightGbmNative}). */
    private static LGBMDataset dataset(double[] flat, int rows, int width, String params) throws LGBMException {
        LightGbmNative.load();
        return LGBMDataset.createFromMat(flat, rows, width, true, params, null);
    }

}

package dev.atelier.workers.automl;

import dev.atelier.server.models.automl.Learner;
import dev.atelier.server.models.automl.Member;
import dev.atelier.server.models.automl.Scaler;
import dev.atelier.server.models.automl.Task;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGradRDA;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Fits one learner on rows of features: XGBoost and LightGBM ({@link LightGbmFitting}), boosted round by round so
 * that a trial past its deadline stops within a few rounds, Tribuo's CART trees, random forests, extra trees and linear SGD models (AdaGrad RDA with L1
 * and L2: logistic regression, elastic net), and k-nearest neighbours (at most {@link #KNN_POINTS} rows kept, drawn
 * with the seed). Deterministic for a seed. Stateless; thread-safe.
 */
public final class Fitting {
    static final int KNN_POINTS = 20_000;

    private Fitting() {
    }

    /** The rows to learn from: features, targets (class numbers or values), optional weights. */
    public record Data(double[][] features, double[] targets, double[] weights, int classes) {
    }

    /** Thrown when a fit passes its deadline. */
    public static final class DeadlinePassed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DeadlinePassed() {
            super("the trial passed its time limit");
        }
    }

    /**
     * @param classes  the number of classes (0 for regression)
     * @param deadline {@link System#nanoTime()} after which the fit gives up with {@link DeadlinePassed}
     */
    public static Member fit(Algorithm algorithm, Map<String, Object> config, Task task, Data data, long seed, int threads, long deadline) {
        Optional<Scaler> scaler = algorithm.needsScaling() ? Optional.of(Scaler.fit(data.features())) : Optional.empty();
        double[][] features = scaler.map(s -> s.apply(data.features())).orElse(data.features());
        Learner learner = switch (algorithm) {
            case XGBOOST_CLASSIFIER, XGBOOST_REGRESSOR -> xgboost(config, task, features, data, seed, threads, deadline);
            case LIGHTGBM -> LightGbmFitting.fit(config, task, features, data, seed, threads, deadline);
            case RANDOM_FOREST, EXTREME_RANDOM_TREES, DECISION_TREE -> tribuo(trees(algorithm, config, task, seed), task, features, data);
            case LOGISTIC_REGRESSION, ELASTIC_NET -> tribuo(linear(config, task, features.length, seed), task, features, data);
            case KNN -> knn(config, task, features, data, seed);
        };
        return new Member(algorithm.azureName(), scaler, learner);
    }

    private static Learner xgboost(Map<String, Object> config, Task task, double[][] features, Data data, long seed, int threads, long deadline) {
        int width = features.length == 0 ? 0 : features[0].length;
        float[] flat = new float[features.length * width];
        float[] labels = new float[features.length];
        for (int i = 0; i < features.length; i++) {
            for (int j = 0; j < width; j++) {
                flat[i * width + j] = (float) features[i][j];
            }
            labels[i] = (float) data.targets()[i];
        }
        Map<String, Object> params = new HashMap<>();
        if (task == Task.REGRESSION) {
            params.put("objective", "reg:squarederror");
        } else if (data.classes() == 2) {
            params.put("objective", "binary:logistic");
        } else {
            params.put("objective", "multi:softprob");
            params.put("num_class", data.classes());
        }
        params.put("eta", number(config, "learning_rate"));
        params.put("max_depth", (int) number(config, "max_depth"));
        params.put("subsample", number(config, "subsample"));
        params.put("colsample_bytree", number(config, "colsample_bytree"));
        params.put("min_child_weight", number(config, "min_child_weight"));
        params.put("lambda", number(config, "reg_lambda"));
        params.put("tree_method", "hist");
        params.put("nthread", threads);
        params.put("seed", seed);
        params.put("verbosity", 0);
        int rounds = (int) number(config, "n_estimators");
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(flat, features.length, width, Float.NaN);
            matrix.setLabel(labels);
            if (data.weights() != null) {
                float[] weights = new float[data.weights().length];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = (float) data.weights()[i];
                }
                matrix.setWeight(weights);
            }
            Booster booster = XGBoost.train(matrix, params, 0, Map.of(), null, null);
            for (int round = 0; round < rounds; round++) {
                if (System.nanoTime() > deadline) {
                    booster.dispose();
                    throw new DeadlinePassed();
                }
                booster.update(matrix, round);
            }
            return new Learner.Xgboost(booster, task == Task.REGRESSION ? 0 : data.classes());
        } catch (XGBoostError e) {
            throw new IllegalStateException("xgboost failed: " + e.getMessage(), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }

    private static Trainer<?> trees(Algorithm algorithm, Map<String, Object> config, Task task, long seed) {
        int depth = (int) number(config, "max_depth");
        float minChildWeight = (float) number(config, "min_child_weight");
        float fraction = algorithm == Algorithm.DECISION_TREE ? 1f : (float) number(config, "max_features");
        boolean random = algorithm == Algorithm.EXTREME_RANDOM_TREES;
        int trees = algorithm == Algorithm.DECISION_TREE ? 1 : (int) number(config, "n_estimators");
        if (task == Task.CLASSIFICATION) {
            CARTClassificationTrainer tree = new CARTClassificationTrainer(depth, minChildWeight, 0f, fraction, random, new GiniIndex(), seed);
            return switch (algorithm) {
                case RANDOM_FOREST -> new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed);
                case EXTREME_RANDOM_TREES -> new ExtraTreesTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed);
                default -> tree;
            };
        }
        CARTRegressionTrainer tree = new CARTRegressionTrainer(depth, minChildWeight, 0f, fraction, random, new MeanSquaredError(), seed);
        return switch (algorithm) {
            case RANDOM_FOREST -> new RandomForestTrainer<>(tree, new AveragingCombiner(), trees, seed);
            case EXTREME_RANDOM_TREES -> new ExtraTreesTrainer<>(tree, new AveragingCombiner(), trees, seed);
            default -> tree;
        };
    }

    private static Trainer<?> linear(Map<String, Object> config, Task task, int rows, long seed) {
        AdaGradRDA optimiser = new AdaGradRDA(number(config, "learning_rate"), 1e-6, number(config, "l1"), number(config, "l2"), Math.max(1, rows));
        int epochs = (int) number(config, "epochs");
        return task == Task.CLASSIFICATION
                ? new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(), optimiser, epochs, Integer.MAX_VALUE, 1, seed)
                : new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), optimiser, epochs, Integer.MAX_VALUE, 1, seed);
    }

    @SuppressWarnings("unchecked")
    private static Learner tribuo(Trainer<?> trainer, Task task, double[][] features, Data data) {
        int width = features.length == 0 ? 0 : features[0].length;
        String[] names = Learner.Tribuo.featureNames(width);
        Model<?> model;
        if (task == Task.CLASSIFICATION) {
            LabelFactory factory = new LabelFactory();
            MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("automl", factory), factory);
            for (int i = 0; i < features.length; i++) {
                ArrayExample<Label> example = new ArrayExample<>(new Label(Integer.toString((int) data.targets()[i])), names, features[i].clone());
                if (data.weights() != null) {
                    example.setWeight((float) data.weights()[i]);
                }
                dataset.add(example);
            }
            model = ((Trainer<Label>) trainer).train(dataset);
        } else {
            RegressionFactory factory = new RegressionFactory();
            MutableDataset<Regressor> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("automl", factory), factory);
            for (int i = 0; i < features.length; i++) {
                ArrayExample<Regressor> example = new ArrayExample<>(new Regressor("y", data.targets()[i]), names, features[i].clone());
                if (data.weights() != null) {
                    example.setWeight((float) data.weights()[i]);
                }
                dataset.add(example);
            }
            model = ((Trainer<Regressor>) trainer).train(dataset);
        }
        return new Learner.Tribuo(model, task == Task.CLASSIFICATION ? data.classes() : 0);
    }

    private static Learner knn(Map<String, Object> config, Task task, double[][] features, Data data, long seed) {
        int[] kept = sample(features.length, KNN_POINTS, seed);
        double[][] points = new double[kept.length][];
        double[][] targets = new double[kept.length][];
        for (int i = 0; i < kept.length; i++) {
            points[i] = features[kept[i]];
            if (task == Task.CLASSIFICATION) {
                targets[i] = new double[data.classes()];
                targets[i][(int) data.targets()[kept[i]]] = 1;
            } else {
                targets[i] = new double[] {data.targets()[kept[i]]};
            }
        }
        return new Learner.NearestNeighbours((int) number(config, "n_neighbors"), "distance".equals(config.get("weights")), points, targets);
    }

    /** {@code limit} of {@code 0..n-1} drawn without replacement with the seed (all of them, in order, when n <= limit). */
    static int[] sample(int n, int limit, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= limit) {
            return all;
        }
        Random random = new Random(seed);
        for (int i = 0; i < limit; i++) {
            int j = i + random.nextInt(n - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        int[] kept = java.util.Arrays.copyOf(all, limit);
        java.util.Arrays.sort(kept);
        return kept;
    }

    static double number(Map<String, Object> config, String name) {
        Object value = config.get(name);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("hyperparameter " + name + " is missing");
        }
        return number.doubleValue();
    }
}

package dev.atelier.workers.builtins;

import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import dev.atelier.workers.table.ColumnList;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.Values;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code train_model}: trains a model on a table and writes it as an {@code mlflow_model} folder that Atelier's model
 * runtimes load (flavor {@code xgboost} for {@code xgboost}, {@code tribuo} for the others), with a column signature of
 * its features and {@link TrainedModel} metadata. Options: {@code --input}, {@code --label}, {@code --task}
 * ({@code classification}, {@code regression}), {@code --algorithm} ({@code xgboost}, {@code random_forest},
 * {@code logistic_regression}: classification only, {@code linear_regression}: regression only), {@code --features}
 * (default: every column but the label), {@code --n_estimators} (trees, or epochs of the linear models),
 * {@code --max_depth}, {@code --learning_rate}, {@code --seed}, {@code --output}. Features must be numbers (missing
 * values allowed); rows without a label are skipped. Training holds the table in memory, as it must.
 */
final class TrainModel implements Builtin {
    /** Tribuo logs every 1,000 SGD iterations at INFO: held so the step's log stays readable (a strong reference keeps the level). */
    private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @Override
    public void run(Arguments arguments) throws Exception {
        Path input = arguments.path("input");
        String label = arguments.text("label");
        String task = arguments.choice("task", "classification", "classification", "regression");
        String algorithm = arguments.choice("algorithm", "xgboost", "xgboost", "random_forest", "logistic_regression", "linear_regression");
        Optional<String> featureText = arguments.optional("features").filter(value -> !value.isBlank());
        int estimators = (int) arguments.integer("n_estimators", 100, 1, 10_000);
        int maxDepth = (int) arguments.integer("max_depth", 6, 1, 64);
        double learningRate = arguments.number("learning_rate", 0.3, 1e-6, 10);
        long seed = arguments.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Path output = arguments.path("output");
        arguments.checkAllRead();
        if (algorithm.equals("logistic_regression") && task.equals("regression")
                || algorithm.equals("linear_regression") && task.equals("classification")) {
            throw new TableException("algorithm '" + algorithm + "' does not do " + task + ": use "
                    + (task.equals("regression") ? "linear_regression" : "logistic_regression") + ", xgboost or random_forest");
        }
        Data data = read(input, label, featureText);
        if (data.labels.isEmpty()) {
            throw new TableException("no row has a value in the label column '" + label + "'");
        }
        List<String> classes = List.of();
        double[] targets = new double[data.labels.size()];
        if (task.equals("classification")) {
            classes = classes(data.labels);
            if (classes.size() < 2) {
                throw new TableException("the label column '" + label + "' has one class only (" + classes + "): a classifier needs two");
            }
            Map<String, Integer> codes = new HashMap<>();
            for (int i = 0; i < classes.size(); i++) {
                codes.put(classes.get(i), i);
            }
            for (int i = 0; i < targets.length; i++) {
                targets[i] = codes.get(data.labels.get(i));
            }
        } else {
            for (int i = 0; i < targets.length; i++) {
                targets[i] = Values.number(data.labels.get(i), label, i + 1);
            }
        }
        Files.createDirectories(output);
        TrainedModel trained = new TrainedModel(label, task, data.features, classes, algorithm);
        Map<String, Object> flavor = new LinkedHashMap<>();
        String flavorName;
        String outputType;
        if (algorithm.equals("xgboost")) {
            flavorName = "xgboost";
            Booster booster = xgboost(data, targets, task, classes.size(), estimators, maxDepth, learningRate, seed);
            try {
                Files.write(output.resolve("model.json"), booster.toByteArray("json"));
            } finally {
                booster.dispose();
            }
            flavor.put("data", "model.json");
            flavor.put("model_class", task.equals("classification") ? "xgboost.sklearn.XGBClassifier" : "xgboost.sklearn.XGBRegressor");
            flavor.put("model_format", "json");
            outputType = task.equals("classification") ? "long" : "double";
        } else {
            flavorName = "tribuo";
            Model<?> model = task.equals("classification")
                    ? tribuo(data, new LabelFactory(), Label::new, classifier(algorithm, estimators, maxDepth, learningRate, seed, data.features.size()))
                    : tribuo(data, new RegressionFactory(), value -> new Regressor(label, Values.number(value, label, 0)),
                    regressor(algorithm, estimators, maxDepth, learningRate, seed, data.features.size()));
            model.serializeToFile(output.resolve("model.tribuo"));
            flavor.put("data", "model.tribuo");
            flavor.put("serialization_format", "protobuf");
            outputType = task.equals("classification") ? "string" : "double";
        }
        ModelSignature signature = ModelSignature.of(
                new Schema(data.features.stream().<SchemaSpec>map(name -> new ColumnSpec(Optional.of(name), "double", false, Map.of())).toList()),
                Schema.of(new ColumnSpec(Optional.empty(), outputType, true, Map.of())));
        MlModelYaml.write(new MlModel(Optional.of("model"), Map.of(flavorName, flavor), Optional.empty(), Optional.empty(),
                Optional.of(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
                        .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC))),
                Optional.empty(), Optional.of(signature), Optional.empty(), Map.of("metadata", trained.metadata())), output);
        System.out.println("train_model: " + algorithm + " " + task + " on " + data.labels.size() + " rows, features " + data.features
                + (classes.isEmpty() ? "" : ", classes " + classes));
    }

    /** The rows of a table with a label: features as numbers (NaN when missing), labels as text. */
    private record Data(List<String> features, List<double[]> rows, List<String> labels) {
    }

    private static Data read(Path input, String label, Optional<String> featureText) {
        try (TableReader reader = TableReader.open(input)) {
            int labelPosition = reader.indexOf(label);
            List<String> features = featureText.map(text -> ColumnList.parse("features", text))
                    .orElseGet(() -> reader.columns().stream().filter(column -> !column.equals(label)).toList());
            if (features.contains(label)) {
                throw new TableException("the label column '" + label + "' cannot also be a feature");
            }
            if (features.isEmpty()) {
                throw new TableException("the table has no column besides the label '" + label + "' to train on");
            }
            int[] positions = reader.indexesOf(features);
            List<double[]> rows = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                if (Values.missing(row[labelPosition])) {
                    continue;
                }
                double[] values = new double[positions.length];
                for (int i = 0; i < positions.length; i++) {
                    Double value = Values.parse(row[positions[i]]);
                    if (value == null) {
                        throw new TableException("feature column '" + features.get(i) + "' holds '" + row[positions[i]] + "' in row "
                                + reader.rowNumber() + ", which is not a number: train_model trains on numeric features (leave the "
                                + "column out with 'features' or select_columns, or convert it with edit_metadata)");
                    }
                    values[i] = value;
                }
                rows.add(values);
                labels.add(row[labelPosition]);
            }
            return new Data(features, rows, labels);
        }
    }

    /** The distinct labels, in numeric order when every one is a number, else in text order. */
    private static List<String> classes(List<String> labels) {
        TreeSet<String> distinct = new TreeSet<>(labels);
        boolean numeric = distinct.stream().allMatch(value -> Values.parse(value) != null);
        if (numeric) {
            return distinct.stream().sorted(java.util.Comparator.comparingDouble(Double::parseDouble)).toList();
        }
        return List.copyOf(distinct);
    }

    private static Booster xgboost(Data data, double[] targets, String task, int classCount, int rounds, int maxDepth,
                                   double learningRate, long seed) throws Exception {
        int width = data.features.size();
        float[] matrix = new float[data.rows.size() * width];
        float[] labels = new float[targets.length];
        for (int row = 0; row < data.rows.size(); row++) {
            double[] values = data.rows.get(row);
            for (int column = 0; column < width; column++) {
                matrix[row * width + column] = (float) values[column];
            }
            labels[row] = (float) targets[row];
        }
        DMatrix train = new DMatrix(matrix, data.rows.size(), width, Float.NaN);
        try {
            train.setLabel(labels);
            train.setFeatureNames(data.features.toArray(String[]::new));
            Map<String, Object> params = new HashMap<>();
            if (task.equals("regression")) {
                params.put("objective", "reg:squarederror");
            } else if (classCount == 2) {
                params.put("objective", "binary:logistic");
            } else {
                params.put("objective", "multi:softprob");
                params.put("num_class", classCount);
            }
            params.put("max_depth", maxDepth);
            params.put("eta", learningRate);
            params.put("seed", seed);
            params.put("nthread", Runtime.getRuntime().availableProcessors());
            return XGBoost.train(train, params, rounds, Map.of(), null, null);
        } finally {
            train.dispose();
        }
    }

    private static Trainer<Label> classifier(String algorithm, int estimators, int maxDepth, double learningRate, long seed, int features) {
        if (algorithm.equals("random_forest")) {
            return new RandomForestTrainer<>(new CARTClassificationTrainer(maxDepth, featureFraction(features), seed),
                    new VotingCombiner(), estimators, seed);
        }
        return new org.tribuo.classification.sgd.linear.LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate), estimators, seed);
    }

    private static Trainer<Regressor> regressor(String algorithm, int estimators, int maxDepth, double learningRate, long seed, int features) {
        if (algorithm.equals("random_forest")) {
            return new RandomForestTrainer<>(new CARTRegressionTrainer(maxDepth, 5, 0, featureFraction(features), new MeanSquaredError(), seed),
                    new AveragingCombiner(), estimators, seed);
        }
        return new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), new AdaGrad(learningRate), estimators, seed);
    }

    /** A random forest's trees each split on about √n of the n features. */
    private static float featureFraction(int features) {
        return (float) Math.min(1.0, Math.max(1.0 / features, Math.sqrt(features) / features));
    }

    private static <T extends Output<T>> Model<T> tribuo(Data data, OutputFactory<T> factory, Function<String, T> output, Trainer<T> trainer) {
        MutableDataset<T> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("train_model", factory), factory);
        String[] names = data.features.toArray(String[]::new);
        for (int row = 0; row < data.rows.size(); row++) {
            double[] values = data.rows.get(row);
            List<String> present = new ArrayList<>(names.length);
            List<Double> presentValues = new ArrayList<>(names.length);
            for (int column = 0; column < names.length; column++) {
                if (!Double.isNaN(values[column])) {
                    present.add(names[column]);
                    presentValues.add(values[column]);
                }
            }
            dataset.add(new ArrayExample<>(output.apply(data.labels.get(row)), present.toArray(String[]::new),
                    presentValues.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return trainer.train(dataset);
    }
}

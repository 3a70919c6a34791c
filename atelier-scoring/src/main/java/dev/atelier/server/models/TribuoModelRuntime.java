package dev.atelier.server.models;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelDirectory;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A Tribuo model (flavor {@code tribuo}, file named by {@code data}) saved with Tribuo's protobuf
 * serialization ({@code Model.serializeToFile}); Java serialization is not read, since reading it
 * runs code chosen by the file. Classification ({@link Label}) and regression ({@link Regressor})
 * models are served. Takes a table whose columns are picked by the model's feature names (extra
 * columns ignored, a missing one refused; a missing value leaves the feature out) or one tensor
 * {@code [rows, features]} in the model's feature order. Answers a table: for classification
 * {@code label} and, when the model gives probabilities, {@code probability:<class>} per class; for
 * regression one column per output dimension. Thread-safe: Tribuo models predict concurrently.
 */
public final class TribuoModelRuntime implements ModelRuntime {
    public static final String FLAVOR = "tribuo";
    public static final String LABEL = "label";
    public static final String PROBABILITY_PREFIX = "probability:";

    private final Model<?> model;
    private final List<String> featureNames;
    private final List<String> outputColumns;
    private final ModelSignature signature;

    private TribuoModelRuntime(Model<?> model, List<String> featureNames, List<String> outputColumns, ModelSignature signature) {
        this.model = model;
        this.featureNames = featureNames;
        this.outputColumns = outputColumns;
        this.signature = signature;
    }

    /** Loads {@code tribuo} models. */
    public static final class Factory implements ModelRuntimeFactory {
        @Override
        public String flavor() {
            return FLAVOR;
        }

        @Override
        public ModelRuntime load(Path directory, MlModel mlModel) {
            Path file = MlModelDirectory.flavorFile(directory, mlModel, FLAVOR, "data");
            Model<?> model;
            try {
                model = Model.deserializeFromFile(file);
            } catch (IOException | RuntimeException e) {
                throw AtelierException.invalidParameter("the tribuo model file '" + file.getFileName()
                        + "' cannot be read as a Tribuo protobuf model: " + e.getMessage());
            }
            List<String> featureNames = IntStream.range(0, model.getFeatureIDMap().size())
                    .mapToObj(id -> model.getFeatureIDMap().get(id).getName())
                    .toList();
            List<String> outputColumns = outputColumns(model);
            List<SchemaSpec> outputs = outputColumns.stream()
                    .<SchemaSpec>map(name -> ColumnSpec.of(name, name.equals(LABEL) && model.validate(Label.class) ? "string" : "double"))
                    .toList();
            return new TribuoModelRuntime(model, featureNames, outputColumns,
                    DeclaredSignature.merge(mlModel, DeclaredSignature.doubleColumns(featureNames), new Schema(outputs)));
        }
    }

    private static List<String> outputColumns(Model<?> model) {
        if (model.validate(Label.class)) {
            List<String> columns = new ArrayList<>(List.of(LABEL));
            if (model.generatesProbabilities()) {
                classes(model).forEach(name -> columns.add(PROBABILITY_PREFIX + name));
            }
            return columns;
        }
        if (model.validate(Regressor.class)) {
            Regressor first = (Regressor) model.getOutputIDInfo().getOutput(0);
            return Arrays.asList(first.getNames());
        }
        throw AtelierException.invalidParameter("the tribuo model predicts " + model.getOutputIDInfo().getDomain().iterator().next().getClass().getSimpleName()
                + "; Atelier serves Tribuo classification (Label) and regression (Regressor) models");
    }

    /** Class names in the model's output ID order. */
    private static List<String> classes(Model<?> model) {
        return IntStream.range(0, model.getOutputIDInfo().size())
                .mapToObj(id -> ((Label) model.getOutputIDInfo().getOutput(id)).getLabel())
                .toList();
    }

    @Override
    public String flavor() {
        return FLAVOR;
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public ModelOutput predict(ModelInput input) {
        FeatureMatrix matrix = FeatureMatrix.of(input, input instanceof Table ? featureNames : List.of(), featureNames.size());
        List<List<Object>> rows = new ArrayList<>();
        if (model.validate(Label.class)) {
            @SuppressWarnings("unchecked")
            Model<Label> classifier = (Model<Label>) model;
            List<String> classes = outputColumns.subList(1, outputColumns.size()).stream()
                    .map(column -> column.substring(PROBABILITY_PREFIX.length()))
                    .toList();
            for (Prediction<Label> prediction : predictAll(classifier, LabelFactory.UNKNOWN_LABEL, matrix)) {
                List<Object> row = new ArrayList<>();
                row.add(prediction.getOutput().getLabel());
                Map<String, Label> scores = prediction.getOutputScores();
                classes.forEach(name -> row.add(scores.containsKey(name) ? scores.get(name).getScore() : 0.0));
                rows.add(row);
            }
        } else {
            @SuppressWarnings("unchecked")
            Model<Regressor> regressor = (Model<Regressor>) model;
            for (Prediction<Regressor> prediction : predictAll(regressor, RegressionFactory.UNKNOWN_REGRESSOR, matrix)) {
                Regressor output = prediction.getOutput();
                rows.add(outputColumns.stream()
                        .map(name -> (Object) output.getDimension(name).map(Regressor.DimensionTuple::getValue).orElse(Double.NaN))
                        .toList());
            }
        }
        return new Table(outputColumns, rows);
    }

    private <T extends Output<T>> List<Prediction<T>> predictAll(Model<T> typed, T unknown, FeatureMatrix matrix) {
        List<Example<T>> examples = new ArrayList<>(matrix.rows());
        for (int row = 0; row < matrix.rows(); row++) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int column = 0; column < matrix.columns(); column++) {
                double value = matrix.get(row, column);
                if (!Double.isNaN(value)) {
                    names.add(featureNames.get(column));
                    values.add(value);
                }
            }
            examples.add(new ArrayExample<>(unknown, names.toArray(String[]::new), values.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        try {
            return typed.predict(examples);
        } catch (IllegalArgumentException e) {
            throw AtelierException.invalidParameter("the tribuo model refused the input: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        // a Tribuo model holds heap memory only
    }
}

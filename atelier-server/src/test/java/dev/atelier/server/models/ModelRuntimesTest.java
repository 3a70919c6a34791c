package dev.atelier.server.models;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.TensorSpec;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Each Java-native runtime loads a model directory written by hand and predicts what the model predicted in memory. */
class ModelRuntimesTest {
    private static final ModelRuntimes RUNTIMES = ModelRuntimes.standard();

    @TempDir
    Path directory;

    @Test
    void tribuoRuntimePredictsLabelsAndProbabilitiesByFeatureName() throws Exception {
        Model<Label> model = TinyModels.tribuoLogistic();
        model.serializeToFile(directory.resolve("model.tribuo"));
        writeMlModel("tribuo", Map.of("data", "model.tribuo"), Optional.empty());
        List<Prediction<Label>> expected = predictInMemory(model);

        try (ModelRuntime runtime = RUNTIMES.load(directory)) {
            Table withExtraColumn = new Table(List.of("comment", "x1", "x0"), TinyModels.probes().stream()
                    .map(probe -> List.<Object>of("ignored", probe[1], probe[0])).toList());
            Table output = (Table) runtime.predict(withExtraColumn);

            assertThat(runtime.flavor()).isEqualTo("tribuo");
            assertThat(output.columns()).containsExactly("label", "probability:no", "probability:yes");
            for (int i = 0; i < expected.size(); i++) {
                assertThat(output.rows().get(i).get(0)).isEqualTo(expected.get(i).getOutput().getLabel());
                assertThat((Double) output.rows().get(i).get(2))
                        .isEqualTo(expected.get(i).getOutputScores().get("yes").getScore());
            }
            assertThat(runtime.signature().inputs().orElseThrow().specs()).extracting(spec -> spec.name().orElseThrow())
                    .containsExactly("x0", "x1");
            assertThat(runtime.signature().outputs().orElseThrow().specs().getFirst())
                    .isEqualTo(ColumnSpec.of("label", "string"));
            Table fromFloats = (Table) runtime.predict(TinyModels.probeTensor("anything"));
            for (int i = 0; i < expected.size(); i++) {
                assertThat(fromFloats.rows().get(i).get(0)).isEqualTo(output.rows().get(i).get(0));
                assertThat((Double) fromFloats.rows().get(i).get(2)).isCloseTo((Double) output.rows().get(i).get(2), within(1e-6));
            }
        }
    }

    @Test
    void onnxRuntimeRunsTheTribuoModelExportedToOnnx() throws Exception {
        Model<Label> model = TinyModels.tribuoLogistic();
        ((LinearSGDModel) model).saveONNXModel("dev.atelier.test", 1, directory.resolve("model.onnx"));
        writeMlModel("onnx", Map.of("data", "model.onnx"), Optional.empty());
        List<Prediction<Label>> expected = predictInMemory(model);

        try (ModelRuntime runtime = RUNTIMES.load(directory)) {
            TensorSpec input = (TensorSpec) runtime.signature().inputs().orElseThrow().specs().getFirst();
            assertThat(input.dtype()).isEqualTo("float32");
            assertThat(input.shape()).containsExactly(-1L, 2L);
            Tensors output = (Tensors) runtime.predict(TinyModels.probeTensor(input.name().orElseThrow()));
            Tensor probabilities = output.tensors().getFirst();
            assertThat(probabilities.shape()).containsExactly(4L, 2L);
            int yes = model.getOutputIDInfo().getID(new Label("yes"));
            for (int i = 0; i < expected.size(); i++) {
                assertThat(((Number) probabilities.values().get(2 * i + yes)).doubleValue())
                        .isCloseTo(expected.get(i).getOutputScores().get("yes").getScore(), within(1e-5));
            }
            Tensors fromTable = (Tensors) runtime.predict(TinyModels.probeTable());
            assertThat(fromTable.tensors().getFirst().values()).isEqualTo(probabilities.values());
        }
    }

    @Test
    void xgboostRuntimeLoadsJsonAndUbjAndAnswersProbabilitiesOrLabels() throws Exception {
        Booster booster = TinyModels.xgboost();
        DMatrix probes = new DMatrix(TinyModels.probeFloats(), TinyModels.probes().size(), 2, Float.NaN);
        float[][] expected = booster.predict(probes);
        probes.dispose();
        ModelSignature columns = ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "double")),
                Schema.of(new ColumnSpec(Optional.empty(), "double", true, Map.of())));
        for (String file : List.of("model.json", "model.ubj")) {
            booster.saveModel(directory.resolve(file).toString());
            writeMlModel("xgboost", Map.of("data", file, "model_class", "xgboost.core.Booster"), Optional.of(columns));

            try (ModelRuntime runtime = RUNTIMES.load(directory)) {
                Tensor predictions = ((Tensors) runtime.predict(TinyModels.probeTable())).get("predictions").orElseThrow();
                assertThat(predictions.shape()).as(file).containsExactly(4L);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(predictions.values().get(i)).as(file).isEqualTo(expected[i][0]);
                }
                assertThat(runtime.signature()).isEqualTo(columns);
            }
        }
        writeMlModel("xgboost", Map.of("data", "model.ubj", "model_class", "xgboost.sklearn.XGBClassifier"), Optional.empty());
        try (ModelRuntime runtime = RUNTIMES.load(directory)) {
            Tensor labels = ((Tensors) runtime.predict(TinyModels.probeTensor("input"))).tensors().getFirst();
            List<Object> expectedLabels = new ArrayList<>();
            for (float[] row : expected) {
                expectedLabels.add(row[0] > 0.5f ? 1L : 0L);
            }
            assertThat(labels.type()).isEqualTo(TensorType.INT64);
            assertThat(labels.values()).isEqualTo(expectedLabels).contains(0L, 1L);
        }
        booster.dispose();
    }

    @Test
    void aModelWithoutJavaNativeFlavorIsRefusedNamingItsFlavors() throws Exception {
        Files.writeString(directory.resolve("model.pkl"), "pickle");
        writeMlModel("sklearn", Map.of("pickled_model", "model.pkl"), Optional.empty());

        assertThatThrownBy(() -> RUNTIMES.load(directory))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("no flavor Atelier can run in the JVM: it has [sklearn], Atelier runs [tribuo, xgboost, onnx, atelier_automl]");
    }

    @Test
    void corruptModelFilesAreRefusedAsBadInput() throws Exception {
        Files.writeString(directory.resolve("model.bin"), "this is not a model");
        for (String flavor : List.of("onnx", "xgboost", "tribuo")) {
            writeMlModel(flavor, Map.of("data", "model.bin"), Optional.empty());
            assertThatThrownBy(() -> RUNTIMES.load(directory)).as(flavor)
                    .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                    .hasMessageContaining("the " + flavor + " model file 'model.bin' cannot be");
        }
    }

    @Test
    void inputsThatDoNotFitAreRefusedNamingTheProblem() throws Exception {
        Model<Label> model = TinyModels.tribuoLogistic();
        ((LinearSGDModel) model).saveONNXModel("dev.atelier.test", 1, directory.resolve("model.onnx"));
        model.serializeToFile(directory.resolve("model.tribuo"));
        writeMlModel("onnx", Map.of("data", "model.onnx"), Optional.empty());
        try (ModelRuntime onnx = RUNTIMES.load(directory)) {
            Tensors wide = Tensors.of(new Tensor("input", TensorType.FP32, List.of(1L, 3L), List.of(1f, 2f, 3f)));
            assertThatThrownBy(() -> onnx.predict(wide)).hasMessageContaining("must have shape [-1, 2]");
            Tensors words = Tensors.of(new Tensor("input", TensorType.BYTES, List.of(1L, 2L), List.of("a", "b")));
            assertThatThrownBy(() -> onnx.predict(words)).hasMessageContaining("must hold FP32 values");
        }
        writeMlModel("tribuo", Map.of("data", "model.tribuo"), Optional.empty());
        try (ModelRuntime tribuo = RUNTIMES.load(directory)) {
            Table missing = new Table(List.of("x0"), List.of(List.of(0.5)));
            assertThatThrownBy(() -> tribuo.predict(missing)).hasMessageContaining("the input has no column 'x1'");
            Table text = new Table(List.of("x0", "x1"), List.of(List.of(0.5, "high")));
            assertThatThrownBy(() -> tribuo.predict(text)).hasMessageContaining("column 'x1' of row 0 must be a number");
        }
    }

    private static List<Prediction<Label>> predictInMemory(Model<Label> model) {
        return model.predict(TinyModels.probes().stream()
                .map(probe -> new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, TinyModels.FEATURES.toArray(String[]::new), probe.clone()))
                .map(example -> (org.tribuo.Example<Label>) example)
                .toList());
    }

    private void writeMlModel(String flavor, Map<String, Object> config, Optional<ModelSignature> signature) {
        MlModelYaml.write(new MlModel(Optional.of("model"), Map.of(flavor, config), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), signature, Optional.empty(), Map.of()), directory);
    }
}

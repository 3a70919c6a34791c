package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.MlModel;
import dev.atelier.api.mlmodel.MlModelYaml;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.TensorSpec;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.ModelRuntimes;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TinyModels;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.atelier.server.serving.protocol.Signatures.bytes;
import static dev.atelier.server.serving.protocol.Signatures.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each protocol's request for the probe points, answered through {@link ScoringCodecs} by each
 * Java-native flavor, gives the predictions the runtime gives when called directly.
 */
class ProtocolFlavorsTest {
    private static final ModelRuntimes RUNTIMES = ModelRuntimes.standard();

    @TempDir
    Path directory;

    @Test
    void tribuoAnswersEveryProtocolAsItPredictsDirectly() throws Exception {
        Model<Label> model = TinyModels.tribuoLogistic();
        model.serializeToFile(directory.resolve("model.tribuo"));
        writeMlModel("tribuo", Map.of("data", "model.tribuo"), Optional.empty());
        try (ModelRuntime runtime = RUNTIMES.load(directory)) {
            ModelOutput expected = runtime.predict(TinyModels.probeTable());
            assertThat(tree(MlflowInvocations.writePredictions(expected)).findValuesAsText("label")).contains("yes", "no");
            assertEveryProtocol(runtime, expected, false);
        }
    }

    @Test
    void xgboostAnswersEveryProtocolWithDeclaredColumnsOrNativeTensor() throws Exception {
        Booster booster = TinyModels.xgboost();
        booster.saveModel(directory.resolve("model.ubj").toString());
        booster.dispose();
        ModelSignature columns = ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "double")),
                Schema.of(new ColumnSpec(Optional.empty(), "double", true, Map.of())));
        for (Optional<ModelSignature> signature : List.of(Optional.of(columns), Optional.<ModelSignature>empty())) {
            writeMlModel("xgboost", Map.of("data", "model.ubj", "model_class", "xgboost.core.Booster"), signature);
            try (ModelRuntime runtime = RUNTIMES.load(directory)) {
                boolean tensor = runtime.signature().inputs().orElseThrow().isTensorBased();
                assertThat(tensor).isEqualTo(signature.isEmpty());
                ModelOutput expected = runtime.predict(tensor ? TinyModels.probeTensor(inputName(runtime)) : TinyModels.probeTable());
                JsonNode probabilities = tree(MlflowInvocations.writePredictions(expected)).get("predictions");
                assertThat(probabilities.size()).isEqualTo(4);
                assertThat(probabilities.get(1).asDouble()).isGreaterThan(0.5);
                assertEveryProtocol(runtime, expected, tensor);
            }
        }
    }

    @Test
    void onnxAnswersEveryProtocolAsItPredictsDirectly() throws Exception {
        Model<Label> model = TinyModels.tribuoLogistic();
        ((LinearSGDModel) model).saveONNXModel("dev.atelier.test", 1, directory.resolve("model.onnx"));
        writeMlModel("onnx", Map.of("data", "model.onnx"), Optional.empty());
        try (ModelRuntime runtime = RUNTIMES.load(directory)) {
            ModelOutput expected = runtime.predict(TinyModels.probeTensor(inputName(runtime)));
            assertThat(OpenInference.outputTensors(expected).getFirst().shape()).containsExactly(4L, 2L);
            assertEveryProtocol(runtime, expected, true);
        }
    }

    private void assertEveryProtocol(ModelRuntime runtime, ModelOutput expected, boolean tensor) {
        JsonNode predictions = tree(MlflowInvocations.writePredictions(expected)).get("predictions");
        List<List<Object>> rows = probeRows();
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("x0", rows.stream().map(row -> row.get(0)).toList());
        columns.put("x1", rows.stream().map(row -> row.get(1)).toList());
        List<Map<String, Object>> records = rows.stream().map(row -> Map.of("x0", row.get(0), "x1", row.get(1))).toList();
        Map<String, Object> split = Map.of("columns", List.of("x0", "x1"), "data", rows);
        StringBuilder csv = new StringBuilder("x0,x1\n");
        rows.forEach(row -> csv.append(row.get(0)).append(',').append(row.get(1)).append('\n'));

        List<byte[]> mlflow = new ArrayList<>(List.of(bytes(Map.of("dataframe_split", split)), bytes(Map.of("inputs", rows)),
                bytes(Map.of("instances", rows))));
        if (!tensor) {
            mlflow.addAll(List.of(bytes(Map.of("dataframe_records", records)), bytes(Map.of("inputs", columns))));
        }
        for (byte[] body : mlflow) {
            assertThat(tree(score(runtime, ScoringProtocol.MLFLOW_INVOCATIONS, body, "application/json")).get("predictions"))
                    .as(new String(body, StandardCharsets.UTF_8)).isEqualTo(predictions);
        }
        assertThat(tree(score(runtime, ScoringProtocol.MLFLOW_INVOCATIONS, csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv"))
                .get("predictions")).isEqualTo(predictions);

        for (byte[] body : List.of(bytes(Map.of("data", rows)), bytes(Map.of("input_data", tensor ? rows : split)))) {
            assertThat(tree(score(runtime, ScoringProtocol.AZURE_SCORE, body, "application/json"))).isEqualTo(predictions);
        }
        assertThat(tree(score(runtime, ScoringProtocol.AZURE_SCORE, bytes(Map.of("dataframe_split", split)), "application/json"))
                .get("predictions")).isEqualTo(predictions);

        List<Object> flat = rows.stream().<Object>mapMulti((row, sink) -> row.forEach(sink)).toList();
        List<Map<String, Object>> oipInputs = tensor
                ? List.of(Map.of("name", inputName(runtime), "shape", List.of(4, 2), "datatype", "FP32", "data", flat))
                : List.of(Map.of("name", "x0", "shape", List.of(4), "datatype", "FP64", "data", columns.get("x0")),
                Map.of("name", "x1", "shape", List.of(4, 1), "datatype", "FP64", "data", columns.get("x1")));
        JsonNode response = tree(score(runtime, ScoringProtocol.OPEN_INFERENCE, bytes(Map.of("id", "probe", "inputs", oipInputs)), "application/json"));
        assertOpenInferenceOutputs(response, expected);
        if (tensor) {
            ByteBuffer binary = ByteBuffer.allocate(4 * flat.size()).order(ByteOrder.LITTLE_ENDIAN);
            flat.forEach(value -> binary.putFloat(((Number) value).floatValue()));
            byte[] header = bytes(Map.of("id", "probe", "inputs", List.of(Map.of("name", inputName(runtime), "shape", List.of(4, 2),
                    "datatype", "FP32", "parameters", Map.of("binary_data_size", binary.capacity())))));
            byte[] body = Arrays.copyOf(header, header.length + binary.capacity());
            System.arraycopy(binary.array(), 0, body, header.length, binary.capacity());
            assertOpenInferenceOutputs(tree(score(runtime, ScoringProtocol.OPEN_INFERENCE, body, "application/octet-stream")), expected);
        }
    }

    private static void assertOpenInferenceOutputs(JsonNode response, ModelOutput expected) {
        assertThat(response.get("model_name").asText()).isEqualTo("tiny");
        assertThat(response.get("id").asText()).isEqualTo("probe");
        List<Tensor> outputs = OpenInference.outputTensors(expected);
        assertThat(response.get("outputs").size()).isEqualTo(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode output = response.get("outputs").get(i);
            assertThat(output.get("name").asText()).isEqualTo(outputs.get(i).name());
            assertThat(output.get("datatype").asText()).isEqualTo(outputs.get(i).type().name());
            assertThat(output.get("data")).isEqualTo(tree(bytes(outputs.get(i).values())));
        }
    }

    private static byte[] score(ModelRuntime runtime, ScoringProtocol protocol, byte[] body, String contentType) {
        ScoringCall call = new ScoringCall(protocol, protocol == ScoringProtocol.OPEN_INFERENCE ? "tiny" : "", body, contentType, "r");
        ScoringResponse response = ScoringCodecs.answer(call, runtime.signature(), (ModelInput input) -> runtime.predict(input),
                Optional.of("1"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("application/json");
        return response.body();
    }

    private static String inputName(ModelRuntime runtime) {
        return ((TensorSpec) runtime.signature().inputs().orElseThrow().specs().getFirst()).name().orElseThrow();
    }

    private static List<List<Object>> probeRows() {
        return TinyModels.probes().stream().map(probe -> List.<Object>of(probe[0], probe[1])).toList();
    }

    private void writeMlModel(String flavor, Map<String, Object> config, Optional<ModelSignature> signature) {
        MlModelYaml.write(new MlModel(Optional.of("model"), Map.of(flavor, config), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), signature, Optional.empty(), Map.of()), directory);
    }
}

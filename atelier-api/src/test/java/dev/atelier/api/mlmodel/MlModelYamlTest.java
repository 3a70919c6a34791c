package dev.atelier.api.mlmodel;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MlModelYamlTest {

    static String resource(String name) {
        try (InputStream in = MlModelYamlTest.class.getResourceAsStream("/mlmodel/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsSklearnModelWithColumnInputsAndTensorOutput() {
        MlModel model = MlModelYaml.parse(resource("sklearn.MLmodel"));

        assertThat(model.artifactPath()).contains("model");
        assertThat(model.flavors()).containsOnlyKeys("python_function", "sklearn");
        assertThat(model.flavorText("sklearn", "pickled_model")).contains("model.pkl");
        assertThat(model.flavor("sklearn").orElseThrow()).containsEntry("code", null);
        assertThat(model.runId()).contains("3e3f7a2b9c1d4e5f8a7b6c5d4e3f2a1b");
        assertThat(model.utcTimeCreated()).contains("2024-09-12 08:31:05.274160");
        assertThat(model.mlflowVersion()).contains("2.16.2");
        assertThat(model.other()).containsEntry("model_size_bytes", 1183);
        Schema inputs = model.signature().orElseThrow().inputs().orElseThrow();
        assertThat(inputs.isTensorBased()).isFalse();
        assertThat(inputs.specs()).hasSize(4).first()
                .isEqualTo(new ColumnSpec(Optional.of("sepal length (cm)"), "double", true, Map.of()));
        assertThat(model.signature().orElseThrow().outputs().orElseThrow().specs())
                .containsExactly(new TensorSpec(Optional.empty(), "int64", List.of(-1L)));
        assertThat(model.signature().orElseThrow().params()).isEmpty();
        InputExampleInfo example = model.savedInputExampleInfo().orElseThrow();
        assertThat(example.artifactPath()).isEqualTo("input_example.json");
        assertThat(example.type()).isEqualTo("dataframe");
        assertThat(example.other()).containsEntry("pandas_orient", "split");
        assertThat(example.servingInputPath()).contains("serving_input_example.json");
    }

    @Test
    void readsOnnxModelWithNamedTensors() {
        MlModel model = MlModelYaml.parse(resource("onnx.MLmodel"));

        assertThat(model.flavorText("onnx", "data")).contains("model.onnx");
        assertThat(model.flavor("onnx").orElseThrow().get("providers")).isEqualTo(List.of("CUDAExecutionProvider", "CPUExecutionProvider"));
        ModelSignature signature = model.signature().orElseThrow();
        assertThat(signature.inputs().orElseThrow().isTensorBased()).isTrue();
        assertThat(signature.inputs().orElseThrow().specs()).containsExactly(TensorSpec.of("float_input", "float32", -1, 4));
        assertThat(signature.outputs().orElseThrow().specs())
                .containsExactly(TensorSpec.of("label", "int64", -1), TensorSpec.of("probabilities", "float32", -1, 3));
    }

    @Test
    void readsXgboostModel() {
        MlModel model = MlModelYaml.parse(resource("xgboost.MLmodel"));

        assertThat(model.flavorText("xgboost", "data")).contains("model.xgb");
        assertThat(model.flavorText("xgboost", "model_format")).contains("xgb");
        assertThat(model.flavorText("python_function", "loader_module")).contains("mlflow.xgboost");
        assertThat(model.signature().orElseThrow().outputs().orElseThrow().specs())
                .containsExactly(new ColumnSpec(Optional.empty(), "long", true, Map.of()));
    }

    @Test
    void readsPyfuncModelWithCompositeTypesAndParams() {
        MlModel model = MlModelYaml.parse(resource("pyfunc.MLmodel"));

        ModelSignature signature = model.signature().orElseThrow();
        ColumnSpec tags = (ColumnSpec) signature.inputs().orElseThrow().specs().get(1);
        assertThat(tags.type()).isEqualTo("array");
        assertThat(tags.required()).isFalse();
        assertThat(tags.details()).containsEntry("items", Map.of("type", "string"));
        assertThat(signature.params().orElseThrow()).containsExactly(
                new ParamSpec("temperature", "float", Optional.of(0.5), Optional.empty()),
                new ParamSpec("stop", "string", Optional.of(List.of("\n")), Optional.of(List.of(-1L))));
        assertThat(model.other()).containsEntry("metadata", Map.of("team", "search"));
        assertThat(model.savedInputExampleInfo().orElseThrow().type()).isEqualTo("json_object");
    }

    @Test
    void writingAndReadingBackKeepsEveryField() {
        for (String name : List.of("sklearn.MLmodel", "onnx.MLmodel", "xgboost.MLmodel", "pyfunc.MLmodel")) {
            MlModel model = MlModelYaml.parse(resource(name));

            String written = MlModelYaml.write(model);

            assertThat(MlModelYaml.parse(written)).as(name).isEqualTo(model);
            assertThat(written).as(name).doesNotStartWith("---").contains("flavors:");
        }
    }

    @Test
    void writesTheSignatureAsJsonStringsAndSortsKeys() {
        MlModel model = new MlModel(Optional.of("model"), Map.of("onnx", Map.of("data", "model.onnx")), Optional.of("r1"),
                Optional.empty(), Optional.of("2024-01-01 00:00:00.000000"), Optional.empty(),
                Optional.of(ModelSignature.of(Schema.of(TensorSpec.of("input", "float32", -1, 2)),
                        Schema.of(ColumnSpec.of("y", "double")))),
                Optional.empty(), Map.of());

        String yaml = MlModelYaml.write(model);

        assertThat(yaml.indexOf("artifact_path")).isLessThan(yaml.indexOf("flavors")).isLessThan(yaml.indexOf("run_id"));
        assertThat(yaml).contains("inputs: \"[{\\\"name\\\":\\\"input\\\",\\\"type\\\":\\\"tensor\\\"");
        assertThat(yaml).contains("utc_time_created: \"2024-01-01 00:00:00.000000\"");
        assertThat(yaml).doesNotContain("model_uuid");
    }

    @Test
    void historyEntryDropsFlavorConfig() {
        MlModel model = MlModelYaml.parse(resource("onnx.MLmodel"));
        Map<String, Object> onnx = new java.util.LinkedHashMap<>(model.flavor("onnx").orElseThrow());
        onnx.put("config", Map.of("x", 1));
        MlModel withConfig = new MlModel(model.artifactPath(), Map.of("onnx", onnx), model.runId(), model.modelUuid(),
                model.utcTimeCreated(), model.mlflowVersion(), model.signature(), model.savedInputExampleInfo(), model.other());

        Map<String, Object> entry = MlModelYaml.historyEntry(withConfig);

        assertThat(entry).containsOnlyKeys("run_id", "artifact_path", "utc_time_created", "model_uuid", "flavors");
        @SuppressWarnings("unchecked")
        Map<String, Object> onnxEntry = (Map<String, Object>) ((Map<?, ?>) entry.get("flavors")).get("onnx");
        assertThat(onnxEntry).containsKey("data").doesNotContainKey("config");
    }

    @Test
    void refusesTextThatIsNotYaml() {
        assertInvalid("flavors: [unclosed", "does not parse as YAML");
        assertInvalid("just a string", "must be a YAML mapping");
        assertInvalid(" \n", "MLmodel is empty");
    }

    @Test
    void refusesModelsWithoutFlavorsOrWithBadFlavors() {
        assertInvalid("artifact_path: model\n", "has no 'flavors'");
        assertInvalid("flavors: [onnx]\n", "'flavors' must be a mapping");
        assertInvalid("flavors:\n  onnx: model.onnx\n", "flavor 'onnx' must be a mapping");
    }

    @Test
    void refusesBadSignatures() {
        String flavors = "flavors:\n  onnx:\n    data: model.onnx\n";
        assertInvalid(flavors + "signature: yes\n", "'signature' must be a mapping");
        assertInvalid(flavors + "signature:\n  inputs: '[{\"type\": '\n", "'signature.inputs' is not a JSON list");
        assertInvalid(flavors + "signature:\n  inputs: '[{\"name\": \"x\"}]'\n", "'signature.inputs[0]' has no 'type'");
        assertInvalid(flavors + "signature:\n  inputs: '[{\"name\": \"x\", \"type\": \"decimal\"}]'\n", "'signature.inputs[0].type' is not an MLflow type");
        assertInvalid(flavors + "signature:\n  inputs: '[{\"name\": \"x\", \"type\": \"tensor\"}]'\n", "'signature.inputs[0].tensor-spec'");
        assertInvalid(flavors + "signature:\n  outputs: '[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-2]}}]'\n",
                "'signature.outputs[0].tensor-spec.shape'");
        assertInvalid(flavors + "signature:\n  inputs: '[{\"name\": \"x\", \"type\": \"double\"}, {\"type\": \"tensor\", \"name\": \"t\", "
                + "\"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1]}}]'\n", "mixes column specs and tensor specs");
        assertInvalid(flavors + "signature:\n  inputs: '[{\"name\": \"x\", \"type\": \"double\"}, {\"type\": \"double\"}]'\n",
                "names some of its specs but not all");
    }

    private static void assertInvalid(String yaml, String message) {
        assertThatThrownBy(() -> MlModelYaml.parse(yaml))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining(message);
    }
}

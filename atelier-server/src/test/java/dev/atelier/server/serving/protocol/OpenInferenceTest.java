package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.atelier.server.serving.protocol.Signatures.COLUMNS;
import static dev.atelier.server.serving.protocol.Signatures.TENSOR;
import static dev.atelier.server.serving.protocol.Signatures.TWO_COLUMNS;
import static dev.atelier.server.serving.protocol.Signatures.bytes;
import static dev.atelier.server.serving.protocol.Signatures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenInferenceTest {
    @Test
    void inferRequestTakesFlatOrNestedDataIdParametersAndRequestedOutputs() {
        for (String data : List.of("[1, 2.5, 3, 4]", "[[1, 2.5], [3, 4]]")) {
            InferRequest request = OpenInference.parseInfer(bytes("{'id': 'r-1', 'parameters': {'p': 1}, 'inputs': [{'name': 'features',"
                    + " 'shape': [2, 2], 'datatype': 'FP64', 'data': " + data + "}], 'outputs': [{'name': 'scores'}]}"), TENSOR);

            Tensor tensor = ((Tensors) request.input()).tensors().getFirst();
            assertThat(tensor.type()).as(data).isEqualTo(TensorType.FP32);
            assertThat(tensor.shape()).containsExactly(2L, 2L);
            assertThat(tensor.values()).containsExactly(1f, 2.5f, 3f, 4f);
            assertThat(request.id()).contains("r-1");
            assertThat(request.parameters()).containsEntry("p", 1);
            assertThat(request.outputs()).containsExactly("scores");
        }
    }

    @Test
    void columnModelsTakeOneInputPerColumnOrOneMatrix() {
        InferRequest perColumn = OpenInference.parseInfer(bytes("{'inputs': [{'name': 'x1', 'shape': [2], 'datatype': 'INT64', 'data': [1, 2]},"
                + " {'name': 'x0', 'shape': [2, 1], 'datatype': 'FP32', 'data': [[0.5], [0.25]]}]}"), COLUMNS);
        assertThat(((Table) perColumn.input()).rows()).containsExactly(List.of(0.5, 1L), List.of(0.25, 2L));

        InferRequest matrix = OpenInference.parseInfer(bytes("{'inputs': [{'name': 'input-0', 'shape': [2, 2], 'datatype': 'FP64',"
                + " 'data': [0.5, 1, 0.25, 2]}]}"), TWO_COLUMNS);
        assertThat(((Table) matrix.input()).rows()).containsExactly(List.of(0.5, 1L), List.of(0.25, 2L));
    }

    @Test
    void malformedInputsAreRefusedNamingTheInput() {
        assertRefused("{'inputs': [{'name': 'features', 'shape': [2, 2], 'datatype': 'FP32', 'data': [1, 2, 3]}]}",
                "tensor 'features' has shape [2, 2] (4 elements) but 3 elements");
        assertRefused("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP16', 'data': [1, 2]}]}",
                "unsupported tensor datatype 'FP16'");
        assertRefused("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'INT32', 'data': [1, 2.5]}]}",
                "tensor 'features' has type INT32, but element 1 is the number 2.5");
        assertRefused("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'BYTES', 'data': ['a', 'b']}]}",
                "tensor 'features' has type FP32, but element 0 is the string 'a'");
        assertRefused("{'inputs': [{'name': 'features', 'shape': [1, 3], 'datatype': 'FP32', 'data': [1, 2, 3]}]}",
                "tensor 'features' must have shape [-1, 2] (-1: any size), got [1, 3]");
        assertRefused("{'inputs': [{'name': 'other', 'shape': [1, 2], 'datatype': 'FP32', 'data': [1, 2]}]}",
                "the input is missing tensor [features]");
        assertRefused("{'inputs': [{'name': 'features', 'shape': [1, -2], 'datatype': 'FP32', 'data': [1, 2]}]}",
                "input 'features' 'shape' must be a list of non-negative integers");
        assertRefused("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP32'}]}", "input 'features' has no 'data'");
        assertRefused("{'inputs': [{'shape': [1, 2], 'datatype': 'FP32', 'data': [1, 2]}]}", "'inputs' item 0 'name' must be a string");
        assertRefused("{'id': 'x'}", "an inference request must have 'inputs'");
        assertRefused("{'inputs': [{'name': 'features', 'shape': [4611686018427387904, 4], 'datatype': 'FP32', 'data': [1]}]}",
                "too many elements");
        assertThatThrownBy(() -> OpenInference.parseInfer(bytes("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP32',"
                + " 'parameters': {'binary_data_size': 8}}]}"), TENSOR))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("binary_data_size add up to 8 bytes, but only 0 bytes follow the JSON header");
    }

    @Test
    void responseCarriesModelVersionIdAndTheRequestedOutputsInOrder() {
        InferRequest request = OpenInference.parseInfer(bytes("{'id': '42', 'inputs': [{'name': 'features', 'shape': [1, 2], "
                + "'datatype': 'FP32', 'data': [1, 2]}], 'outputs': [{'name': 'label'}]}"), TENSOR);
        Tensors output = Tensors.of(new Tensor("scores", TensorType.FP32, List.of(1L, 2L), List.of(0.25f, 0.75f)),
                new Tensor("label", TensorType.BYTES, List.of(1L), List.of("yes")));

        JsonNode response = tree(OpenInference.writeInferResponse("m", Optional.of("3"), request, output));

        assertThat(response).isEqualTo(tree(bytes("{'model_name': 'm', 'model_version': '3', 'id': '42', 'outputs': "
                + "[{'name': 'label', 'shape': [1], 'datatype': 'BYTES', 'data': ['yes']}]}")));
        InferRequest all = OpenInference.parseInfer(bytes("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP32', "
                + "'data': [1, 2]}]}"), TENSOR);
        JsonNode both = tree(OpenInference.writeInferResponse("m", Optional.empty(), all, output));
        assertThat(both.has("model_version")).isFalse();
        assertThat(both.get("outputs").get(0).get("data").toString()).isEqualTo("[0.25,0.75]");
        InferRequest unknown = OpenInference.parseInfer(bytes("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP32', "
                + "'data': [1, 2]}], 'outputs': [{'name': 'nope'}]}"), TENSOR);
        assertThatThrownBy(() -> OpenInference.writeInferResponse("m", Optional.empty(), unknown, output))
                .hasMessageContaining("the request asks for output 'nope', the model's outputs are [scores, label]");
    }

    @Test
    void tableOutputsBecomeOneTensorPerColumn() {
        Table output = new Table(List.of("label", "probability"), List.of(List.of("yes", 0.75), List.of("no", 0.25)));
        InferRequest request = OpenInference.parseInfer(bytes("{'inputs': [{'name': 'x0', 'shape': [2], 'datatype': 'FP64', "
                + "'data': [1, 2]}, {'name': 'x1', 'shape': [2], 'datatype': 'INT64', 'data': [1, 2]}]}"), TWO_COLUMNS);

        assertThat(tree(OpenInference.writeInferResponse("m", Optional.empty(), request, output)).get("outputs")).isEqualTo(tree(bytes(
                "[{'name': 'label', 'shape': [2], 'datatype': 'BYTES', 'data': ['yes', 'no']},"
                        + " {'name': 'probability', 'shape': [2], 'datatype': 'FP64', 'data': [0.75, 0.25]}]")));
    }

    @Test
    void modelMetadataDescribesColumnsAndTensorsWithVariableDimensions() {
        assertThat(tree(OpenInference.modelMetadata("m", List.of("1"), "tribuo", COLUMNS))).isEqualTo(tree(bytes(
                "{'name': 'm', 'versions': ['1'], 'platform': 'tribuo', 'inputs': [{'name': 'x0', 'datatype': 'FP64', 'shape': [-1]},"
                        + " {'name': 'x1', 'datatype': 'INT64', 'shape': [-1]}, {'name': 'note', 'datatype': 'BYTES', 'shape': [-1]}],"
                        + " 'outputs': [{'name': 'label', 'datatype': 'BYTES', 'shape': [-1]}]}")));
        assertThat(tree(OpenInference.modelMetadata("m", List.of(), "onnx", TENSOR)).get("inputs")).isEqualTo(tree(bytes(
                "[{'name': 'features', 'datatype': 'FP32', 'shape': [-1, 2]}]")));
        ModelSignature none = new ModelSignature(Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(tree(OpenInference.modelMetadata("m", List.of(), "onnx", none)).get("outputs").size()).isZero();
    }

    @Test
    void serverMetadataNamesVersionAndExtensions() {
        assertThat(tree(OpenInference.serverMetadata("atelier", "0.9.0", List.of()))).isEqualTo(tree(bytes(
                "{'name': 'atelier', 'version': '0.9.0', 'extensions': []}")));
    }

    private static void assertRefused(String body, String message) {
        assertThatThrownBy(() -> OpenInference.parseInfer(bytes(body), TENSOR)).as(body)
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageContaining(message);
    }
}

package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.atelier.server.serving.protocol.Signatures.TENSOR;
import static dev.atelier.server.serving.protocol.Signatures.TWO_TENSORS;
import static dev.atelier.server.serving.protocol.Signatures.bytes;
import static dev.atelier.server.serving.protocol.Signatures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Open Inference Protocol's binary tensor data extension, in requests and responses. */
class OpenInferenceBinaryTest {
    private static final byte[] FOUR_FLOATS = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
            .putFloat(1f).putFloat(2.5f).putFloat(3f).putFloat(4f).array();

    @Test
    void binaryInputsAreReadAfterTheJsonHeaderInInputOrder() {
        byte[] longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-1).array();
        byte[] doubles = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN)
                .putDouble(1).putDouble(2).putDouble(3).putDouble(4).putDouble(5).putDouble(6.5).array();
        byte[] body = concat(bytes("{'inputs': [{'name': 'a', 'shape': [2], 'datatype': 'INT64', 'parameters': {'binary_data_size': 16}},"
                + " {'name': 'b', 'shape': [2, 3], 'datatype': 'FP64', 'parameters': {'binary_data_size': 48}}]}"), longs, doubles);

        Tensors tensors = (Tensors) OpenInference.parseInfer(body, TWO_TENSORS).input();

        assertThat(tensors.get("a").orElseThrow().values()).containsExactly(7L, -1L);
        assertThat(tensors.get("b").orElseThrow().values()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.5);
    }

    @Test
    void binaryAndJsonInputsMixAndWhitespaceMayFollowTheHeader() {
        byte[] body = concat(bytes("{'inputs': [{'name': 'features', 'shape': [2, 2], 'datatype': 'FP32', "
                + "'parameters': {'binary_data_size': 16}}]}\n"), FOUR_FLOATS);
        assertThat(((Tensors) OpenInference.parseInfer(body, TENSOR).input()).tensors().getFirst().values())
                .containsExactly(1f, 2.5f, 3f, 4f);
    }

    @Test
    void binaryDataThatDoNotAddUpAreRefused() {
        byte[] tooShort = concat(bytes("{'inputs': [{'name': 'features', 'shape': [2, 2], 'datatype': 'FP32', "
                + "'parameters': {'binary_data_size': 12}}]}"), Arrays.copyOf(FOUR_FLOATS, 12));
        assertThatThrownBy(() -> OpenInference.parseInfer(tooShort, TENSOR))
                .hasMessageContaining("input 'features' has binary_data_size 12, but shape [2, 2] of FP32 takes 16 bytes");
        byte[] extra = concat(bytes("{'inputs': [{'name': 'features', 'shape': [2, 2], 'datatype': 'FP32', "
                + "'parameters': {'binary_data_size': 16}}]}"), new byte[] {'x'}, FOUR_FLOATS);
        assertThatThrownBy(() -> OpenInference.parseInfer(extra, TENSOR))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("1 bytes follow the JSON header beyond the inputs' binary_data_size (16 bytes)");
        byte[] both = concat(bytes("{'inputs': [{'name': 'features', 'shape': [2, 2], 'datatype': 'FP32', 'data': [1, 2, 3, 4], "
                + "'parameters': {'binary_data_size': 16}}]}"), FOUR_FLOATS);
        assertThatThrownBy(() -> OpenInference.parseInfer(both, TENSOR)).hasMessageContaining("has both 'data' and 'binary_data_size'");
        byte[] negative = bytes("{'inputs': [{'name': 'features', 'shape': [2, 2], 'datatype': 'FP32', 'parameters': {'binary_data_size': -4}}]}");
        assertThatThrownBy(() -> OpenInference.parseInfer(negative, TENSOR)).hasMessageContaining("must be a non-negative integer");
    }

    @Test
    void outputsAskedForAsBinaryFollowTheJsonHeader() {
        InferRequest request = OpenInference.parseInfer(bytes("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP32', "
                + "'data': [1, 2]}], 'outputs': [{'name': 'scores', 'parameters': {'binary_data': true}}, {'name': 'label'}]}"), TENSOR);
        Tensors output = Tensors.of(new Tensor("scores", TensorType.FP32, List.of(1L, 2L), List.of(0.25f, 0.75f)),
                new Tensor("label", TensorType.BYTES, List.of(1L), List.of("yes")));

        byte[] body = OpenInference.writeInferResponse("m", Optional.empty(), request, output);

        assertThat(request.binaryResponse()).isTrue();
        int headerLength = OpenInference.jsonHeaderLength(body);
        JsonNode header = tree(Arrays.copyOf(body, headerLength));
        assertThat(header.get("outputs").get(0).get("parameters").get("binary_data_size").asInt()).isEqualTo(8);
        assertThat(header.get("outputs").get(0).has("data")).isFalse();
        assertThat(header.get("outputs").get(1).get("data").get(0).asText()).isEqualTo("yes");
        ByteBuffer binary = ByteBuffer.wrap(body, headerLength, body.length - headerLength).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(binary.remaining()).isEqualTo(8);
        assertThat(binary.getFloat()).isEqualTo(0.25f);
        assertThat(binary.getFloat()).isEqualTo(0.75f);
    }

    @Test
    void theRequestsBinaryDataOutputMakesEveryOutputBinaryUnlessAnOutputSaysOtherwise() {
        InferRequest request = OpenInference.parseInfer(bytes("{'parameters': {'binary_data_output': true}, 'inputs': [{'name': "
                + "'features', 'shape': [1, 2], 'datatype': 'FP32', 'data': [1, 2]}], 'outputs': [{'name': 'label'}, "
                + "{'name': 'scores', 'parameters': {'binary_data': false}}]}"), TENSOR);
        Tensors output = Tensors.of(new Tensor("scores", TensorType.FP32, List.of(1L, 2L), List.of(0.25f, 0.75f)),
                new Tensor("label", TensorType.BYTES, List.of(1L), List.of("yés")));

        byte[] body = OpenInference.writeInferResponse("m", Optional.empty(), request, output);

        int headerLength = OpenInference.jsonHeaderLength(body);
        JsonNode header = tree(Arrays.copyOf(body, headerLength));
        assertThat(header.get("outputs").get(0).get("parameters").get("binary_data_size").asInt()).isEqualTo(8);
        assertThat(header.get("outputs").get(1).get("data").toString()).isEqualTo("[0.25,0.75]");
        ByteBuffer binary = ByteBuffer.wrap(body, headerLength, body.length - headerLength).order(ByteOrder.LITTLE_ENDIAN);
        byte[] text = new byte[binary.getInt()];
        binary.get(text);
        assertThat(new String(text, StandardCharsets.UTF_8)).isEqualTo("yés");
        assertThat(binary.hasRemaining()).isFalse();
    }

    @Test
    void scoringCodecsAnswerBinaryOutputsAsOctetStream() {
        Tensors output = Tensors.of(new Tensor("scores", TensorType.FP32, List.of(1L, 2L), List.of(0.25f, 0.75f)));
        byte[] binaryRequest = bytes("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP32', 'data': [1, 2]}], "
                + "'outputs': [{'name': 'scores', 'parameters': {'binary_data': true}}]}");
        byte[] jsonRequest = bytes("{'inputs': [{'name': 'features', 'shape': [1, 2], 'datatype': 'FP32', 'data': [1, 2]}]}");

        ScoringResponse binary = ScoringCodecs.answer(new ScoringCall(ScoringProtocol.OPEN_INFERENCE, "m", binaryRequest,
                "application/json", "r"), TENSOR, input -> output, Optional.empty());
        ScoringResponse json = ScoringCodecs.answer(new ScoringCall(ScoringProtocol.OPEN_INFERENCE, "m", jsonRequest,
                "application/json", "r"), TENSOR, input -> output, Optional.empty());

        assertThat(binary.contentType()).isEqualTo(ScoringCodecs.BINARY);
        assertThat(binary.body().length - OpenInference.jsonHeaderLength(binary.body())).isEqualTo(8);
        assertThat(json.contentType()).isEqualTo("application/json");
        assertThat(tree(json.body()).get("outputs").get(0).get("data").toString()).isEqualTo("[0.25,0.75]");
    }

    @Test
    void bytesAndBoolTensorsRoundTripThroughTheBinaryForm() {
        for (Tensor tensor : List.of(new Tensor("t", TensorType.BYTES, List.of(2L), List.of("", "two")),
                new Tensor("t", TensorType.BOOL, List.of(3L), List.of(true, false, true)),
                new Tensor("t", TensorType.UINT8, List.of(2L), List.of(0, 255)),
                new Tensor("t", TensorType.INT16, List.of(1L), List.of(-300)))) {
            byte[] encoded = BinaryTensors.encode(tensor);
            assertThat(BinaryTensors.decode("t", tensor.type(), tensor.shape(), encoded, 0, encoded.length)).isEqualTo(tensor);
        }
        assertThatThrownBy(() -> BinaryTensors.decode("t", TensorType.BYTES, List.of(1L), new byte[] {9, 0, 0, 0, 1}, 0, 5))
                .hasMessageContaining("a binary BYTES element of 9 bytes runs past its data");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

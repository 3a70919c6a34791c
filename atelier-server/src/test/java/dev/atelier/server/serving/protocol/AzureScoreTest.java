package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.atelier.server.serving.protocol.Signatures.TENSOR;
import static dev.atelier.server.serving.protocol.Signatures.TWO_COLUMNS;
import static dev.atelier.server.serving.protocol.Signatures.bytes;
import static dev.atelier.server.serving.protocol.Signatures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureScoreTest {
    private static final List<List<Object>> EXPECTED_ROWS = List.of(List.of(0.5, 1L), List.of(0.25, 2L));

    @Test
    void dataTakesRowsInSignatureOrderRecordsOrNamedColumns() {
        for (String data : List.of("[[0.5, 1], [0.25, 2]]", "[{'x1': 1, 'x0': 0.5}, {'x0': 0.25, 'x1': 2}]",
                "{'x0': [0.5, 0.25], 'x1': [1, 2]}")) {
            AzureRequest request = AzureScore.parse(bytes("{'data': " + data + "}"), "application/json", TWO_COLUMNS);
            assertThat(((Table) request.input()).rows()).as(data).isEqualTo(EXPECTED_ROWS);
            assertThat(request.answer()).isEqualTo(AzureRequest.Answer.PREDICTIONS_LIST);
        }
    }

    @Test
    void inputDataTakesAzureMlflowSplitForm() {
        AzureRequest split = AzureScore.parse(bytes("{'input_data': {'columns': ['x1', 'x0'], 'index': [0, 1], 'data': [[1, 0.5], [2, 0.25]]},"
                + " 'params': {'top_k': 2}}"), "", TWO_COLUMNS);
        assertThat(((Table) split.input()).rows()).isEqualTo(EXPECTED_ROWS);
        assertThat(split.params()).containsEntry("top_k", 2);

        AzureRequest tensor = AzureScore.parse(bytes("{'input_data': [[1, 2], [3, 4]]}"), "application/json", TENSOR);
        assertThat(((Tensors) tensor.input()).tensors().getFirst().values()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void mlflowsOwnFormatsAreDelegatedAndAnsweredAsMlflowDoes() {
        AzureRequest json = AzureScore.parse(bytes("{'dataframe_split': {'columns': ['x0', 'x1'], 'data': [[0.5, 1], [0.25, 2]]}}"),
                "application/json", TWO_COLUMNS);
        AzureRequest csv = AzureScore.parse("x0,x1\n0.5,1\n0.25,2\n".getBytes(StandardCharsets.UTF_8), "text/csv", TWO_COLUMNS);

        for (AzureRequest request : List.of(json, csv)) {
            assertThat(((Table) request.input()).rows()).isEqualTo(EXPECTED_ROWS);
            assertThat(request.answer()).isEqualTo(AzureRequest.Answer.MLFLOW);
        }
        Tensors output = Tensors.of(new Tensor("predictions", TensorType.INT64, List.of(2L), List.of(1L, 0L)));
        assertThat(tree(AzureScore.writeAnswer(json, output))).isEqualTo(tree(bytes("{'predictions': [1, 0]}")));
    }

    @Test
    void dataIsAnsweredWithABareListOfPredictions() {
        AzureRequest request = AzureScore.parse(bytes("{'data': [[0.5, 1]]}"), "application/json", TWO_COLUMNS);

        Table output = new Table(List.of("label"), List.of(List.of("yes")));
        assertThat(tree(AzureScore.writeAnswer(request, output))).isEqualTo(tree(bytes("[{'label': 'yes'}]")));
        Tensors tensor = Tensors.of(new Tensor("predictions", TensorType.FP32, List.of(1L), List.of(0.75f)));
        assertThat(new String(AzureScore.writeAnswer(request, tensor), StandardCharsets.UTF_8)).isEqualTo("[0.75]");
    }

    @Test
    void bodiesOfNoKnownFormAreBadRequests() {
        for (String body : List.of("{'rows': [[1, 2]]}", "[[1, 2]]", "{'data': [[1, 2]], 'input_data': [[1, 2]]}")) {
            assertThatThrownBy(() -> AzureScore.parse(bytes(body), "application/json", TWO_COLUMNS)).as(body)
                    .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST));
        }
        assertThatThrownBy(() -> AzureScore.parse(bytes("{'rows': [[1, 2]]}"), "application/json", TWO_COLUMNS))
                .hasMessageContaining("'data'").hasMessageContaining("'input_data'").hasMessageContaining("received an object with keys [rows]");
        assertThatThrownBy(() -> AzureScore.parse(bytes("{'data': [[1, 2]]}"), "text/plain", TWO_COLUMNS))
                .hasMessageContaining("/score takes application/json or text/csv, got 'text/plain'");
        assertThatThrownBy(() -> AzureScore.parse(bytes("{'data': [[0.5, 'x']]}"), "application/json", TWO_COLUMNS))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("column 'x1' has type long, but row 0 holds the string 'x'");
    }
}

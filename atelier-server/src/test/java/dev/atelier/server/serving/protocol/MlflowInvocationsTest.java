package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static dev.atelier.server.serving.protocol.Signatures.COLUMNS;
import static dev.atelier.server.serving.protocol.Signatures.TENSOR;
import static dev.atelier.server.serving.protocol.Signatures.TWO_COLUMNS;
import static dev.atelier.server.serving.protocol.Signatures.TWO_TENSORS;
import static dev.atelier.server.serving.protocol.Signatures.bytes;
import static dev.atelier.server.serving.protocol.Signatures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MlflowInvocationsTest {
    private static final String JSON = "application/json";
    private static final List<List<Object>> EXPECTED_ROWS = List.of(List.of(0.5, 1L), List.of(0.25, 2L));

    @Test
    void dataframeSplitTakesColumnsDataAndIndexAndParams() {
        MlflowRequest request = MlflowInvocations.parse(
                bytes("{'dataframe_split': {'index': [7, 8], 'columns': ['x1', 'x0'], 'data': [[1, 0.5], [2, 0.25]]},"
                        + " 'params': {'temperature': 0.5}}"), "application/json; charset=UTF-8", COLUMNS);

        assertThat(((Table) request.input()).columns()).containsExactly("x0", "x1");
        assertThat(((Table) request.input()).rows()).isEqualTo(EXPECTED_ROWS);
        assertThat(request.params()).containsEntry("temperature", 0.5);
    }

    @Test
    void dataframeSplitWithoutColumnsTakesTheSignaturesOrder() {
        Table table = (Table) MlflowInvocations.parse(bytes("{'dataframe_split': {'data': [[0.5, 1, 'a'], [0.25, 2, null]]}}"),
                JSON, COLUMNS).input();
        assertThat(table.rows()).isEqualTo(List.of(List.of(0.5, 1L, "a"), Arrays.asList(0.25, 2L, null)));
    }

    @Test
    void dataframeRecordsFillMissingKeysWithMissingValues() {
        Table table = (Table) MlflowInvocations.parse(bytes("{'dataframe_records': [{'x0': 0.5, 'x1': 1}, {'x1': 2, 'x0': 0.25}]}"),
                JSON, COLUMNS).input();
        assertThat(table.rows()).isEqualTo(EXPECTED_ROWS);

        Table sparse = (Table) MlflowInvocations.parse(bytes("{'dataframe_records': [{'x0': 0.5, 'x1': 1}, {'x1': 2, 'note': 'n'}]}"),
                JSON, COLUMNS).input();
        assertThat(sparse.columns()).containsExactly("x0", "x1", "note");
        assertThat(sparse.rows().get(1)).containsExactly(null, 2L, "n");
    }

    @Test
    void instancesAndInputsTakeRowsRecordsAndNamedColumns() {
        for (String key : List.of("instances", "inputs")) {
            for (String value : List.of("[[0.5, 1], [0.25, 2]]", "[{'x0': 0.5, 'x1': 1}, {'x0': 0.25, 'x1': 2}]",
                    "{'x1': [1, 2], 'x0': [0.5, 0.25]}")) {
                MlflowRequest request = MlflowInvocations.parse(bytes("{'" + key + "': " + value + "}"), JSON,
                        TWO_COLUMNS);
                assertThat(((Table) request.input()).rows()).as(key + " " + value).isEqualTo(EXPECTED_ROWS);
            }
        }
        Table oneRow = (Table) MlflowInvocations.parse(bytes("{'inputs': {'x0': 0.5, 'x1': 1}}"), JSON, COLUMNS).input();
        assertThat(oneRow.rows()).containsExactly(List.of(0.5, 1L));
    }

    @Test
    void inputsForTensorModelsBecomeTypedTensors() {
        Tensor features = ((Tensors) MlflowInvocations.parse(bytes("{'inputs': [[1, 2.5], [3, 4]]}"), JSON, TENSOR).input())
                .tensors().getFirst();
        assertThat(features.name()).isEqualTo("features");
        assertThat(features.type()).isEqualTo(TensorType.FP32);
        assertThat(features.values()).containsExactly(1f, 2.5f, 3f, 4f);

        Tensors named = (Tensors) MlflowInvocations.parse(bytes("{'inputs': {'b': [[1, 2, 3]], 'a': [9]}}"), JSON, TWO_TENSORS).input();
        assertThat(named.get("a").orElseThrow().values()).containsExactly(9L);
        assertThat(named.get("b").orElseThrow().values()).containsExactly(1.0, 2.0, 3.0);

        Tensors records = (Tensors) MlflowInvocations.parse(bytes("{'instances': [{'a': 1, 'b': [1, 2, 3]}, {'a': 2, 'b': [4, 5, 6]}]}"),
                JSON, TWO_TENSORS).input();
        assertThat(records.get("b").orElseThrow().shape()).containsExactly(2L, 3L);
        assertThat(records.get("a").orElseThrow().values()).containsExactly(1L, 2L);

        Tensor fromSplit = ((Tensors) MlflowInvocations.parse(bytes("{'dataframe_split': {'columns': ['p', 'q'], 'data': [[1, 2]]}}"),
                JSON, TENSOR).input()).tensors().getFirst();
        assertThat(fromSplit.shape()).containsExactly(1L, 2L);
    }

    @Test
    void csvIsReadWithTheSignaturesColumnTypes() {
        byte[] csv = "x1,x0,note\n1,0.5,\"a, quoted\"\n2,0.25,\n".getBytes(StandardCharsets.UTF_8);

        Table table = (Table) MlflowInvocations.parse(csv, "text/csv", COLUMNS).input();

        assertThat(table.columns()).containsExactly("x0", "x1", "note");
        assertThat(table.rows()).containsExactly(List.of(0.5, 1L, "a, quoted"), Arrays.asList(0.25, 2L, null));
        assertThatThrownBy(() -> MlflowInvocations.parse("x0,x1\n0.5,high\n".getBytes(StandardCharsets.UTF_8), "text/csv", COLUMNS))
                .hasMessageContaining("column 'x1' has type long, but row 0 holds the string 'high'");
        assertThatThrownBy(() -> MlflowInvocations.parse(new byte[0], "text/csv", COLUMNS)).hasMessageContaining("needs a header row");
    }

    @Test
    void requestsWithoutExactlyOneFormatFieldAreBadRequests() {
        for (String body : List.of("{'data': [[1, 2]]}", "{'inputs': [[1]], 'instances': [[1]]}", "[[1, 2]]", "{}")) {
            assertThatThrownBy(() -> MlflowInvocations.parse(bytes(body), JSON, COLUMNS)).as(body)
                    .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST))
                    .hasMessageContaining("exactly one of the input fields [dataframe_split, dataframe_records, instances, inputs]");
        }
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'inputs': "), JSON, COLUMNS))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'inputs': [[1, 2]], 'params': [1]}"), JSON, COLUMNS))
                .hasMessageContaining("'params' must be a JSON object");
    }

    @Test
    void contentTypesOtherThanJsonAndCsvInUtf8AreRefused() {
        byte[] body = bytes("{'inputs': [[0.5, 1]]}");
        assertThatThrownBy(() -> MlflowInvocations.parse(body, "application/xml", COLUMNS))
                .hasMessageContaining("only supports the following content types");
        assertThatThrownBy(() -> MlflowInvocations.parse(body, "application/json; charset=latin-1", COLUMNS))
                .hasMessageContaining("only supports UTF-8");
        assertThatThrownBy(() -> MlflowInvocations.parse(body, "application/json; format=pandas-split", COLUMNS))
                .hasMessageContaining("Unrecognized content type parameters: format");
    }

    @Test
    void badDataAreRefusedNamingTheProblem() {
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'inputs': [[0.5, 1, 'a', 4]]}"), JSON, COLUMNS))
                .hasMessageContaining("'inputs' row 0 has 4 values; the model takes 3 columns [x0, x1, note], in this order");
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'inputs': [[1, 2], [3]]}"), JSON, TENSOR))
                .hasMessageContaining("tensor 'features' is a ragged array");
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'inputs': [[1, 2]]}"), JSON, TWO_TENSORS))
                .hasMessageContaining("the model takes tensors [a, b]: send 'inputs' as an object of named inputs");
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'dataframe_split': {'columns': ['x0']}}"), JSON, COLUMNS))
                .hasMessageContaining("'dataframe_split' must have 'data'");
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'inputs': {'x0': [1, 2], 'x1': [1]}}"), JSON, COLUMNS))
                .hasMessageContaining("the columns of 'inputs' have different lengths");
        assertThatThrownBy(() -> MlflowInvocations.parse(bytes("{'inputs': 3}"), JSON, COLUMNS))
                .hasMessageContaining("'inputs' must be a list or an object of named inputs, got the number 3");
    }

    @Test
    void predictionsAreWrittenAsMlflowWritesThem() {
        Table table = new Table(List.of("label", "p"), List.of(List.of("yes", 0.75), List.of("no", 0.25)));
        assertThat(tree(MlflowInvocations.writePredictions(table)))
                .isEqualTo(tree(bytes("{'predictions': [{'label': 'yes', 'p': 0.75}, {'label': 'no', 'p': 0.25}]}")));

        Tensor matrix = new Tensor("scores", TensorType.FP32, List.of(2L, 2L), List.of(0.1f, 0.9f, 0.6f, 0.4f));
        assertThat(new String(MlflowInvocations.writePredictions(Tensors.of(matrix)), StandardCharsets.UTF_8))
                .isEqualTo("{\"predictions\":[[0.1,0.9],[0.6,0.4]]}");

        Tensor labels = new Tensor("labels", TensorType.INT64, List.of(2L), List.of(1L, 0L));
        assertThat(tree(MlflowInvocations.writePredictions(Tensors.of(matrix, labels))))
                .isEqualTo(tree(bytes("{'predictions': {'scores': [[0.1, 0.9], [0.6, 0.4]], 'labels': [1, 0]}}")));
        assertThat(tree(MlflowInvocations.writePredictions(Tensors.of(new Tensor("s", TensorType.BOOL, List.of(), List.of(true))))))
                .isEqualTo(tree(bytes("{'predictions': true}")));
    }
}

package dev.atelier.server.monitoring;

import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LoggedInputsTest {
    private static Optional<ModelInput> parse(String body) {
        return LoggedInputs.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static Table table(String body) {
        return (Table) parse(body).orElseThrow();
    }

    @Test
    void readsMlflowDataframes() {
        Table split = table("{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, \"x\"], [2.5, null]]}}");
        assertThat(split.columns()).containsExactly("a", "b");
        assertThat(split.rows()).containsExactly(List.of(1, "x"), Arrays.asList(2.5, null));
        Table records = table("{\"dataframe_records\": [{\"a\": 1}, {\"a\": 2, \"b\": true}]}");
        assertThat(records.columns()).containsExactly("a", "b");
        assertThat(records.rows().get(0)).containsExactly(1, null);
        assertThat(records.rows().get(1)).containsExactly(2, true);
    }

    @Test
    void readsInstancesInputsAndAzureData() {
        assertThat(table("{\"instances\": [{\"a\": 1}]}").columns()).containsExactly("a");
        Table columns = table("{\"inputs\": {\"a\": [1, 2], \"b\": [\"x\", \"y\"]}}");
        assertThat(columns.rows()).containsExactly(List.of(1, "x"), List.of(2, "y"));
        Tensors rows = (Tensors) parse("{\"data\": [[0.1, 0.9], [0.5, 0.5]]}").orElseThrow();
        assertThat(rows.tensors().getFirst().name()).isEqualTo("input");
        assertThat(rows.tensors().getFirst().shape()).containsExactly(2L, 2L);
        Tensors column = (Tensors) parse("[1, 2, 3]").orElseThrow();
        assertThat(column.tensors().getFirst().shape()).containsExactly(3L);
    }

    @Test
    void readsOpenInferenceTensors() {
        Tensors tensors = (Tensors) parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 2], \"datatype\": \"FP32\", "
                + "\"data\": [[1, 2], [3, 4]]}]}").orElseThrow();
        assertThat(tensors.tensors().getFirst().name()).isEqualTo("x");
        assertThat(tensors.tensors().getFirst().values()).hasSize(4);
    }

    @Test
    void leavesWhatItCannotReadToTheRawColumn() {
        assertThat(parse("not json")).isEmpty();
        assertThat(parse("{\"text\": \"hello\"}")).isEmpty();
        assertThat(parse("{\"data\": [[1, 2], [3]]}")).isEmpty();
        assertThat(parse("{\"data\": [1, \"a\"]}")).isEmpty();
        assertThat(parse("{\"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1]}]}")).isEmpty();
    }
}

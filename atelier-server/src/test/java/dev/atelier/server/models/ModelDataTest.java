package dev.atelier.server.models;

import dev.atelier.api.AtelierException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks of {@link Table}, {@link Tensor}, {@link Tensors} and {@link TensorType}, which protocol mappings rely on. */
class ModelDataTest {
    @Test
    void tensorElementsMustMatchTheShapeAndType() {
        assertThat(new Tensor("t", TensorType.INT64, List.of(2L, 2L), List.of(1L, 2L, 3L, 4L)).batchSize()).isEqualTo(2);
        assertThatThrownBy(() -> new Tensor("t", TensorType.FP32, List.of(2L, 2L), List.of(1f, 2f, 3f)))
                .isInstanceOf(AtelierException.class).hasMessageContaining("has shape [2, 2] (4 elements) but 3 elements");
        assertThatThrownBy(() -> new Tensor("t", TensorType.FP32, List.of(1L), List.of("one")))
                .hasMessageContaining("tensor 't' of type FP32 holds one");
        assertThatThrownBy(() -> new Tensor("t", TensorType.FP32, List.of(1L), Arrays.asList((Object) null)))
                .hasMessageContaining("holds a null element");
        assertThatThrownBy(() -> new Tensor("t", TensorType.BOOL, List.of(-1L), List.of()))
                .hasMessageContaining("negative dimension");
        assertThatThrownBy(() -> new Tensor("t", TensorType.BYTES, List.of(1L), List.of("a")).floats())
                .hasMessageContaining("is not numeric");
    }

    @Test
    void tensorNamesAreUnique() {
        Tensor tensor = new Tensor("t", TensorType.BOOL, List.of(1L), List.of(true));
        assertThat(Tensors.of(tensor).get("t")).contains(tensor);
        assertThatThrownBy(() -> Tensors.of(tensor, tensor)).hasMessageContaining("two tensors are named 't'");
    }

    @Test
    void tableRowsMustHaveOneValueOfASupportedTypePerColumn() {
        Table table = new Table(List.of("a", "b"), List.of(Arrays.asList(1, null), List.of("x", true)));
        assertThat(table.batchSize()).isEqualTo(2);
        assertThat(table.indexOf("b")).isEqualTo(1);
        assertThatThrownBy(() -> new Table(List.of("a", "a"), List.of())).hasMessageContaining("two columns are named 'a'");
        assertThatThrownBy(() -> new Table(List.of("a"), List.of(List.of(1, 2)))).hasMessageContaining("row 0 has 2 values for 1 columns");
        assertThatThrownBy(() -> new Table(List.of("a"), List.of(List.of(List.of(1))))).hasMessageContaining("not a number, string or boolean");
    }

    @Test
    void tensorTypesAreNamedAsTheOpenInferenceProtocolAndNumpyName() {
        assertThat(TensorType.fromProtocolName("FP32")).isEqualTo(TensorType.FP32);
        assertThat(TensorType.fromNumpyName("float32")).isEqualTo(TensorType.FP32);
        assertThat(TensorType.fromNumpyName("float")).isEqualTo(TensorType.FP64);
        assertThat(TensorType.fromNumpyName("object")).isEqualTo(TensorType.BYTES);
        assertThat(TensorType.fromNumpyName("int64")).isEqualTo(TensorType.INT64);
        assertThatThrownBy(() -> TensorType.fromProtocolName("FP8")).hasMessageContaining("unsupported tensor datatype 'FP8'");
        assertThatThrownBy(() -> TensorType.fromNumpyName("complex128")).hasMessageContaining("unsupported tensor dtype");
    }
}

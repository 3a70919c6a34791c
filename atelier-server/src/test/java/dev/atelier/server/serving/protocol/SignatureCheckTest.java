package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.ModelSignature;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.server.models.ModelInput;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;
import dev.atelier.server.models.Tensors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.atelier.server.serving.protocol.Signatures.COLUMNS;
import static dev.atelier.server.serving.protocol.Signatures.TENSOR;
import static dev.atelier.server.serving.protocol.Signatures.TWO_TENSORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignatureCheckTest {
    @Test
    void columnsAreOrderedAsTheSignatureAndConvertedWhereMlflowConverts() {
        Table input = new Table(List.of("extra", "x1", "x0"), List.of(List.of("ignored", 2, 1), List.of("too", 3.0, 0.5f)));

        Table conformed = (Table) SignatureCheck.conform(input, COLUMNS);

        assertThat(conformed.columns()).containsExactly("x0", "x1");
        assertThat(conformed.rows().get(0)).containsExactly(1.0, 2L);
        assertThat(conformed.rows().get(1)).containsExactly(0.5, 3L);
    }

    @Test
    void missingRequiredColumnIsRefusedNamingIt() {
        Table input = new Table(List.of("x0", "note"), List.of(List.of(1.0, "n")));

        assertThatThrownBy(() -> SignatureCheck.conform(input, COLUMNS))
                .isInstanceOfSatisfying(AtelierException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE))
                .hasMessageContaining("missing required column [x1]").hasMessageContaining("the input has [x0, note]");
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNamingColumnRowAndValue() {
        assertThatThrownBy(() -> SignatureCheck.conform(new Table(List.of("x0", "x1"), List.of(List.of(1.0, 1.5))), COLUMNS))
                .hasMessageContaining("column 'x1' has type long, but row 0 holds the number 1.5");
        assertThatThrownBy(() -> SignatureCheck.conform(new Table(List.of("x0", "x1"), List.of(List.of("high", 1))), COLUMNS))
                .hasMessageContaining("column 'x0' has type double, but row 0 holds the string 'high'");
        assertThatThrownBy(() -> SignatureCheck.conform(new Table(List.of("x0", "x1", "note"), List.of(List.of(1, 1, 7))), COLUMNS))
                .hasMessageContaining("column 'note' has type string, but row 0 holds the number 7");
        ModelSignature small = ModelSignature.of(Schema.of(ColumnSpec.of("i", "integer"), ColumnSpec.of("b", "boolean"),
                ColumnSpec.of("f", "float")), Schema.of());
        assertThatThrownBy(() -> SignatureCheck.conform(new Table(List.of("i", "b", "f"), List.of(List.of(3_000_000_000L, true, 1))), small))
                .hasMessageContaining("column 'i' has type integer");
        assertThatThrownBy(() -> SignatureCheck.conform(new Table(List.of("i", "b", "f"), List.of(List.of(1, 1, 1))), small))
                .hasMessageContaining("column 'b' has type boolean, but row 0 holds the number 1");
        Table fine = (Table) SignatureCheck.conform(new Table(List.of("i", "b", "f"), List.of(Arrays.asList(7, false, null))), small);
        assertThat(fine.rows().getFirst()).containsExactly(7, false, null);
    }

    @Test
    void tensorsAreConvertedToTheDeclaredDtypeAndShapeIsChecked() {
        Tensors input = Tensors.of(new Tensor("features", TensorType.FP64, List.of(2L, 2L), List.of(1.0, 2.0, 3.0, 4.5)));

        Tensor conformed = ((Tensors) SignatureCheck.conform(input, TENSOR)).tensors().getFirst();

        assertThat(conformed.type()).isEqualTo(TensorType.FP32);
        assertThat(conformed.values()).containsExactly(1f, 2f, 3f, 4.5f);
        Tensors wide = Tensors.of(new Tensor("features", TensorType.FP32, List.of(1L, 3L), List.of(1f, 2f, 3f)));
        assertThatThrownBy(() -> SignatureCheck.conform(wide, TENSOR))
                .hasMessageContaining("tensor 'features' must have shape [-1, 2] (-1: any size), got [1, 3]");
        Tensors words = Tensors.of(new Tensor("features", TensorType.BYTES, List.of(1L, 2L), List.of("a", "b")));
        assertThatThrownBy(() -> SignatureCheck.conform(words, TENSOR))
                .hasMessageContaining("tensor 'features' has type FP32, but element 0 is the string 'a'");
        Tensors fractions = Tensors.of(new Tensor("a", TensorType.FP64, List.of(1L), List.of(1.5)),
                new Tensor("b", TensorType.FP64, List.of(1L, 3L), List.of(1.0, 2.0, 3.0)));
        assertThatThrownBy(() -> SignatureCheck.conform(fractions, TWO_TENSORS))
                .hasMessageContaining("tensor 'a' has type INT64, but element 0 is the number 1.5");
    }

    @Test
    void missingTensorIsRefusedAndExtraTensorsIgnored() {
        Tensors input = Tensors.of(new Tensor("b", TensorType.FP64, List.of(1L, 3L), List.of(1.0, 2.0, 3.0)),
                new Tensor("c", TensorType.BOOL, List.of(1L), List.of(true)));
        assertThatThrownBy(() -> SignatureCheck.conform(input, TWO_TENSORS))
                .hasMessageContaining("the input is missing tensor [a]").hasMessageContaining("the input has [b, c]");

        Tensors withExtra = Tensors.of(new Tensor("c", TensorType.BOOL, List.of(1L), List.of(true)),
                new Tensor("b", TensorType.FP64, List.of(1L, 3L), List.of(1.0, 2.0, 3.0)),
                new Tensor("a", TensorType.INT64, List.of(1L), List.of(4L)));
        assertThat(((Tensors) SignatureCheck.conform(withExtra, TWO_TENSORS)).tensors()).extracting(Tensor::name).containsExactly("a", "b");
    }

    @Test
    void tensorsFitAColumnSignatureAsOneMatrixOrOneInputPerColumn() {
        Tensors matrix = Tensors.of(new Tensor("whatever", TensorType.INT64, List.of(2L, 3L), List.of(1L, 2L, 3L, 4L, 5L, 6L)));
        assertThatThrownBy(() -> SignatureCheck.conform(matrix, COLUMNS)).hasMessageContaining("column 'note' has type string");
        ModelSignature two = ModelSignature.of(Schema.of(ColumnSpec.of("x0", "double"), ColumnSpec.of("x1", "long")), Schema.of());
        Tensors pairs = Tensors.of(new Tensor("whatever", TensorType.INT64, List.of(2L, 2L), List.of(1L, 2L, 3L, 4L)));
        Table table = (Table) SignatureCheck.conform(pairs, two);
        assertThat(table.rows()).containsExactly(List.of(1.0, 2L), List.of(3.0, 4L));

        Tensors columns = Tensors.of(new Tensor("x1", TensorType.INT64, List.of(2L, 1L), List.of(5L, 6L)),
                new Tensor("x0", TensorType.FP32, List.of(2L), List.of(0.5f, 0.25f)));
        Table fromColumns = (Table) SignatureCheck.conform(columns, COLUMNS);
        assertThat(fromColumns.columns()).containsExactly("x0", "x1");
        assertThat(fromColumns.rows()).containsExactly(List.of(0.5, 5L), List.of(0.25, 6L));

        Tensors uneven = Tensors.of(new Tensor("x0", TensorType.FP64, List.of(2L), List.of(0.5, 0.25)),
                new Tensor("x1", TensorType.INT64, List.of(1L), List.of(5L)));
        assertThatThrownBy(() -> SignatureCheck.conform(uneven, COLUMNS)).hasMessageContaining("different numbers of rows");
        Tensors unknown = Tensors.of(new Tensor("y", TensorType.FP64, List.of(2L), List.of(0.5, 0.25)));
        assertThatThrownBy(() -> SignatureCheck.conform(unknown, COLUMNS))
                .hasMessageContaining("the model takes columns [x0, x1, note]: send one input per column");
    }

    @Test
    void aTableFitsATensorSignatureAsARowMajorMatrix() {
        Table table = new Table(List.of("p", "q"), List.of(List.of(1, 2.5), List.of(3, 4)));

        Tensor tensor = ((Tensors) SignatureCheck.conform(table, TENSOR)).tensors().getFirst();

        assertThat(tensor.name()).isEqualTo("features");
        assertThat(tensor.shape()).containsExactly(2L, 2L);
        assertThat(tensor.values()).containsExactly(1f, 2.5f, 3f, 4f);
        assertThatThrownBy(() -> SignatureCheck.conform(new Table(List.of("a", "c"), List.of(List.of(1, 2))), TWO_TENSORS))
                .hasMessageContaining("the model takes tensors [a, b]; the input has column 'c'")
                .isInstanceOf(AtelierException.class);
    }

    @Test
    void aSignatureWithoutInputsLeavesTheInputAsItIs() {
        ModelInput input = new Table(List.of("anything"), List.of(List.of("x")));
        ModelSignature none = new ModelSignature(Optional.empty(), Optional.empty(), Optional.empty());

        assertThat(SignatureCheck.conform(input, none)).isEqualTo(input);
        ModelSignature unnamed = ModelSignature.of(new Schema(List.of(new ColumnSpec(Optional.empty(), "double", true, Map.of()))), Schema.of());
        assertThat(((Table) SignatureCheck.conform(new Table(List.of("v"), List.of(List.of(1))), unnamed)).rows())
                .containsExactly(List.of(1.0));
    }
}

package dev.atelier.api.mlmodel;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A tensor of a tensor-based signature, written by MLflow as
 * {@code {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}, "name": "input"}}.
 *
 * @param dtype a numpy dtype name such as {@code float32}, {@code float64}, {@code int64}, {@code bool}
 * @param shape the dimensions; {@code -1} marks a dimension of any size (usually the batch)
 */
public record TensorSpec(Optional<String> name, String dtype, List<Long> shape) implements SchemaSpec {
    public TensorSpec {
        requireNonNull(name, "name is null");
        requireNonNull(dtype, "dtype is null");
        shape = List.copyOf(requireNonNull(shape, "shape is null"));
    }

    public static TensorSpec of(String name, String dtype, long... shape) {
        return new TensorSpec(Optional.of(requireNonNull(name, "name is null")), dtype,
                java.util.Arrays.stream(shape).boxed().toList());
    }
}

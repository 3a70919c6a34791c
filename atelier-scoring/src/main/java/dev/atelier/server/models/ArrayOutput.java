package dev.atelier.server.models;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One output tensor of a model's answer for a matrix of rows (batch scoring), its elements flat in row-major order in
 * a primitive array, so that none is boxed: {@code float[]} (FP32), {@code double[]} (FP64), {@code long[]} (the integer
 * types), {@code boolean[]} (BOOL) or {@code String[]} (BYTES). Immutable by convention: the array is not copied and
 * must not be changed.
 *
 * @param name   the output's name
 * @param type   its element type
 * @param shape  its dimensions
 * @param values its elements, an array of the kind {@code type} names
 */
public record ArrayOutput(String name, TensorType type, List<Long> shape, Object values) {
    public ArrayOutput {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        shape = List.copyOf(requireNonNull(shape, "shape is null"));
        requireNonNull(values, "values is null");
        boolean fits = switch (type) {
            case FP32 -> values instanceof float[];
            case FP64 -> values instanceof double[];
            case INT8, UINT8, INT16, INT32, INT64 -> values instanceof long[];
            case BOOL -> values instanceof boolean[];
            case BYTES -> values instanceof String[];
        };
        if (!fits) {
            throw new IllegalArgumentException("output '" + name + "' of type " + type + " cannot hold a " + values.getClass().getSimpleName());
        }
    }

    /** The elements of a tensor (boxed, as every {@link Tensor} is) in the array {@link ArrayOutput} holds for its type. */
    public static ArrayOutput of(Tensor tensor) {
        List<Object> elements = tensor.values();
        Object values = switch (tensor.type()) {
            case FP32 -> tensor.floats();
            case FP64 -> tensor.doubles();
            case INT8, UINT8, INT16, INT32, INT64 -> tensor.longs();
            case BOOL -> {
                boolean[] booleans = new boolean[elements.size()];
                for (int i = 0; i < booleans.length; i++) {
                    booleans[i] = (Boolean) elements.get(i);
                }
                yield booleans;
            }
            case BYTES -> elements.toArray(String[]::new);
        };
        return new ArrayOutput(tensor.name(), tensor.type(), tensor.shape(), values);
    }
}

package dev.atelier.server.models;

import dev.atelier.api.AtelierException;

import java.util.List;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * A named tensor: its element type, its shape and its elements flattened in row-major order (the
 * layout of the Open Inference Protocol's {@code data}). Elements are {@link Boolean} for
 * {@link TensorType#BOOL}, {@link String} for {@link TensorType#BYTES} and {@link Number} otherwise.
 *
 * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the element count does not match the
 *                          shape or an element does not match the type
 */
public record Tensor(String name, TensorType type, List<Long> shape, List<Object> values) {
    public Tensor {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        shape = List.copyOf(requireNonNull(shape, "shape is null"));
        if (requireNonNull(values, "values is null").stream().anyMatch(Objects::isNull)) {
            throw AtelierException.invalidParameter("tensor '" + name + "' holds a null element");
        }
        values = List.copyOf(values);
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw AtelierException.invalidParameter("tensor '" + name + "' has a negative dimension in shape " + shape);
            }
            count = Math.multiplyExact(count, dimension);
        }
        if (count != values.size()) {
            throw AtelierException.invalidParameter("tensor '" + name + "' has shape " + shape + " (" + count
                    + " elements) but " + values.size() + " elements");
        }
        for (Object value : values) {
            boolean fits = switch (type) {
                case BOOL -> value instanceof Boolean;
                case BYTES -> value instanceof String;
                case INT8, UINT8, INT16, INT32, INT64, FP32, FP64 -> value instanceof Number;
            };
            if (!fits) {
                throw AtelierException.invalidParameter("tensor '" + name + "' of type " + type + " holds " + value);
            }
        }
    }

    /** The size of the first dimension, the batch (1 for a scalar). */
    public long batchSize() {
        return shape.isEmpty() ? 1 : shape.getFirst();
    }

    /** The elements as floats; only for numeric tensors. */
    public float[] floats() {
        requireNumeric();
        float[] floats = new float[values.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = ((Number) values.get(i)).floatValue();
        }
        return floats;
    }

    /** The elements as doubles; only for numeric tensors. */
    public double[] doubles() {
        requireNumeric();
        return values.stream().mapToDouble(value -> ((Number) value).doubleValue()).toArray();
    }

    /** The elements as longs; only for numeric tensors (fractions are truncated). */
    public long[] longs() {
        requireNumeric();
        return values.stream().mapToLong(value -> ((Number) value).longValue()).toArray();
    }

    private void requireNumeric() {
        if (!type.isNumeric()) {
            throw AtelierException.invalidParameter("tensor '" + name + "' of type " + type + " is not numeric");
        }
    }
}

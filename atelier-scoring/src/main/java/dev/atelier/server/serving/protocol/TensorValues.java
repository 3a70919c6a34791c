package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atelier.api.AtelierException;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors from JSON arrays (flat or nested, row-major) and back, and the conversion of elements to
 * an element type: numbers to any numeric type when the value fits (integer types take only whole
 * numbers), booleans only to {@code BOOL}, strings only to {@code BYTES}. Elements come out as
 * {@link Float} ({@code FP32}), {@link Double} ({@code FP64}), {@link Long} ({@code INT64}),
 * {@link Integer} (smaller integer types), {@link Boolean} or {@link String}.
 */
final class TensorValues {
    private TensorValues() {
    }

    /**
     * A tensor of a nested JSON array, its shape read from the nesting (a scalar gives shape {@code []}).
     *
     * @param type the element type, or {@code null} to infer it from the values
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} for ragged arrays or elements that do not fit
     */
    static Tensor fromNested(String name, Object nested, TensorType type) {
        List<Long> shape = new ArrayList<>();
        Object probe = nested;
        while (probe instanceof List<?> list) {
            shape.add((long) list.size());
            probe = list.isEmpty() ? null : list.getFirst();
        }
        List<Object> values = new ArrayList<>();
        flatten(name, nested, shape, 0, values);
        return typed(name, type, shape, values);
    }

    /**
     * A tensor of declared shape whose data is flat or nested (the Open Inference Protocol accepts both).
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the element count differs from the shape
     */
    static Tensor fromData(String name, Object data, List<Long> shape, TensorType type) {
        List<Object> values = new ArrayList<>();
        collect(name, data, values);
        return typed(name, type, shape, values);
    }

    /** The tensor with its elements converted to {@code type}; the same tensor when it already has that type. */
    static Tensor convert(Tensor tensor, TensorType type) {
        if (tensor.type() == type) {
            return tensor;
        }
        List<Object> values = new ArrayList<>(tensor.values());
        for (int i = 0; i < values.size(); i++) {
            values.set(i, element(values.get(i), type, tensor.name(), i));
        }
        return new Tensor(tensor.name(), type, tensor.shape(), values);
    }

    /**
     * One element as {@code type} wants it.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} naming the tensor when it does not fit
     */
    static Object element(Object value, TensorType type, String name, int index) {
        Object converted = switch (type) {
            case BOOL -> value instanceof Boolean ? value : null;
            case BYTES -> value instanceof String ? value : null;
            case FP32 -> value instanceof Float ? value : value instanceof Number number ? (Object) number.floatValue() : null;
            case FP64 -> value instanceof Double ? value : value instanceof Number number ? (Object) number.doubleValue() : null;
            case INT64 -> value instanceof Long ? value : whole(value, Long.MIN_VALUE, Long.MAX_VALUE);
            case INT32 -> integer(whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case INT16 -> integer(whole(value, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT8 -> integer(whole(value, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT8 -> integer(whole(value, 0, 255));
        };
        if (converted == null) {
            throw AtelierException.invalidParameter("tensor '" + name + "' has type " + type + ", but element " + index
                    + " is " + ProtocolJson.describe(value));
        }
        return converted;
    }

    /** The element type of JSON values: BOOL, BYTES, INT64 when all are whole numbers, FP64 otherwise. */
    static TensorType infer(String name, List<Object> values) {
        boolean bools = true;
        boolean strings = true;
        boolean integers = true;
        for (Object value : values) {
            bools &= value instanceof Boolean;
            strings &= value instanceof String;
            integers &= value instanceof Long || value instanceof Integer || value instanceof BigInteger;
            if (!(value instanceof Number) && !(value instanceof Boolean) && !(value instanceof String)) {
                throw AtelierException.invalidParameter("tensor '" + name + "' holds " + ProtocolJson.describe(value));
            }
        }
        if (values.isEmpty()) {
            return TensorType.FP64;
        }
        if (bools) {
            return TensorType.BOOL;
        }
        if (strings) {
            return TensorType.BYTES;
        }
        if (values.stream().allMatch(Number.class::isInstance)) {
            return integers ? TensorType.INT64 : TensorType.FP64;
        }
        throw AtelierException.invalidParameter("tensor '" + name + "' mixes numbers, strings and booleans");
    }

    /** Writes the elements nested as the shape says (a scalar for shape {@code []}). */
    static void writeNested(JsonGenerator generator, Tensor tensor) throws IOException {
        writeLevel(generator, tensor.shape(), 0, tensor.values(), new int[] {0});
    }

    /** Writes the elements as one flat array (the Open Inference Protocol's form). */
    static void writeFlat(JsonGenerator generator, List<Object> values) throws IOException {
        generator.writeStartArray();
        for (Object value : values) {
            ProtocolJson.writeScalar(generator, value);
        }
        generator.writeEndArray();
    }

    private static void writeLevel(JsonGenerator generator, List<Long> shape, int depth, List<Object> values, int[] next)
            throws IOException {
        if (depth == shape.size()) {
            ProtocolJson.writeScalar(generator, values.get(next[0]++));
            return;
        }
        generator.writeStartArray();
        for (long i = 0; i < shape.get(depth); i++) {
            writeLevel(generator, shape, depth + 1, values, next);
        }
        generator.writeEndArray();
    }

    private static Tensor typed(String name, TensorType type, List<Long> shape, List<Object> values) {
        TensorType target = type == null ? infer(name, values) : type;
        for (int i = 0; i < values.size(); i++) {
            values.set(i, element(values.get(i), target, name, i));
        }
        return new Tensor(name, target, shape, values);
    }

    private static void flatten(String name, Object value, List<Long> shape, int depth, List<Object> into) {
        if (depth == shape.size()) {
            if (value instanceof List<?>) {
                throw ragged(name, shape);
            }
            into.add(value);
            return;
        }
        if (!(value instanceof List<?> list) || list.size() != shape.get(depth)) {
            throw ragged(name, shape);
        }
        for (Object item : list) {
            flatten(name, item, shape, depth + 1, into);
        }
    }

    private static void collect(String name, Object value, List<Object> into) {
        if (value instanceof List<?> list) {
            for (Object item : list) {
                collect(name, item, into);
            }
        } else {
            into.add(value);
        }
    }

    private static AtelierException ragged(String name, List<Long> shape) {
        return AtelierException.invalidParameter("tensor '" + name + "' is a ragged array: every nested list must have "
                + "the same length (shape " + shape + " from the first elements)");
    }

    private static Object integer(Object whole) {
        return whole == null ? null : (Object) Math.toIntExact((Long) whole);
    }

    /** The value as a Long when it is a whole number within [min, max], otherwise null. */
    private static Object whole(Object value, long min, long max) {
        long result;
        switch (value) {
            case Long number -> result = number;
            case Integer number -> result = number;
            case Short number -> result = number;
            case Byte number -> result = number;
            case BigInteger number -> {
                if (number.bitLength() > 63) {
                    return null;
                }
                result = number.longValue();
            }
            case Double number -> {
                if (number != Math.rint(number) || Math.abs(number) > 0x1p62) {
                    return null;
                }
                result = number.longValue();
            }
            case Float number -> {
                if (number != Math.rint(number) || Math.abs(number) > 0x1p62) {
                    return null;
                }
                result = number.longValue();
            }
            case BigDecimal number -> {
                try {
                    result = number.longValueExact();
                } catch (ArithmeticException e) {
                    return null;
                }
            }
            case null, default -> {
                return null;
            }
        }
        return result < min || result > max ? null : (Object) result;
    }
}

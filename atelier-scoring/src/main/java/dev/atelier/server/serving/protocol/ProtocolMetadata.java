package dev.atelier.server.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import dev.atelier.api.mlmodel.TensorSpec;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A signature in Open Inference Protocol terms: each column is a {@code [-1]} tensor of the column's
 * datatype, each tensor spec keeps its dtype and shape. Unnamed specs are called {@code input_<i>} /
 * {@code output_<i>}, except a single unnamed output, called {@code predictions} as Atelier's
 * runtimes call it.
 */
final class ProtocolMetadata {
    private ProtocolMetadata() {
    }

    /** One input or output as the protocol's metadata describes it. */
    record TensorDescription(String name, TensorType datatype, List<Long> shape) {
        TensorDescription {
            requireNonNull(name, "name is null");
            requireNonNull(datatype, "datatype is null");
            shape = List.copyOf(requireNonNull(shape, "shape is null"));
        }
    }

    static List<TensorDescription> describe(Optional<Schema> schema, String prefix) {
        if (schema.isEmpty()) {
            return List.of();
        }
        List<SchemaSpec> specs = schema.get().specs();
        List<TensorDescription> descriptions = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            SchemaSpec spec = specs.get(i);
            String name = spec.name().orElse(prefix.equals("output") && specs.size() == 1 ? "predictions" : prefix + "_" + i);
            descriptions.add(switch (spec) {
                case ColumnSpec column -> new TensorDescription(name, ColumnTypes.tensorType(column), List.of(-1L));
                case TensorSpec tensor -> new TensorDescription(name, TensorType.fromNumpyName(tensor.dtype()), tensor.shape());
            });
        }
        return descriptions;
    }

    static void writeSpecs(JsonGenerator generator, String field, List<TensorDescription> descriptions) throws IOException {
        generator.writeArrayFieldStart(field);
        for (TensorDescription description : descriptions) {
            generator.writeStartObject();
            generator.writeStringField("name", description.name());
            generator.writeStringField("datatype", description.datatype().name());
            generator.writeArrayFieldStart("shape");
            for (long dimension : description.shape()) {
                generator.writeNumber(dimension);
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
        generator.writeEndArray();
    }

    /**
     * A table column as a {@code [rows]} tensor: FP32 when all values are floats, INT64 when all are
     * whole numbers, FP64 for other numbers, BOOL, or BYTES (other values as text). A missing value
     * becomes NaN in a numeric column and the empty string in a text column, since tensors have no nulls.
     */
    static Tensor columnTensor(String name, List<Object> values) {
        boolean floats = true;
        boolean wholes = true;
        boolean numbers = true;
        boolean bools = true;
        for (Object value : values) {
            if (value != null) {
                floats &= value instanceof Float;
                wholes &= value instanceof Long || value instanceof Integer;
                numbers &= value instanceof Number;
                bools &= value instanceof Boolean;
            }
        }
        TensorType type = numbers ? (floats ? TensorType.FP32 : wholes ? TensorType.INT64 : TensorType.FP64)
                : bools ? TensorType.BOOL : TensorType.BYTES;
        boolean hasNull = values.contains(null);
        if (hasNull && (type == TensorType.INT64 || type == TensorType.BOOL)) {
            type = TensorType.FP64;
        }
        List<Object> converted = new ArrayList<>(values.size());
        for (Object value : values) {
            converted.add(switch (type) {
                case FP32 -> value == null ? Float.NaN : value;
                case FP64 -> value == null ? Double.NaN : value instanceof Boolean bool ? (bool ? 1.0 : 0.0) : ((Number) value).doubleValue();
                case INT64 -> ((Number) value).longValue();
                case BYTES -> value == null ? "" : value.toString();
                case BOOL, INT8, UINT8, INT16, INT32 -> value;
            });
        }
        return new Tensor(name, type, List.of((long) values.size()), converted);
    }
}

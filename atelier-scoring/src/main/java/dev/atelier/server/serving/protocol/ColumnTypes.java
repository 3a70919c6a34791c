package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.server.models.TensorType;

/**
 * The values a column of a signature takes, converted as MLflow converts them before predicting:
 * any number to {@code double} and {@code float}; whole numbers (also written {@code 1.0}) to
 * {@code long} and {@code integer}; only booleans to {@code boolean}; only strings to
 * {@code string}, {@code binary} and {@code datetime}; anything scalar to {@code any}. A missing
 * value ({@code null}) stays missing. Values come out as {@link Double}, {@link Float},
 * {@link Long}, {@link Integer}, {@link Boolean} or {@link String}.
 */
final class ColumnTypes {
    private ColumnTypes() {
    }

    /**
     * The value as the column's type wants it.
     *
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} naming the column, the row, the type and the value
     */
    static Object coerce(Object value, String type, String column, int row) {
        if (value == null) {
            return null;
        }
        Object converted = switch (type) {
            case "double" -> numeric(value, TensorType.FP64);
            case "float" -> numeric(value, TensorType.FP32);
            case "long" -> numeric(value, TensorType.INT64);
            case "integer" -> numeric(value, TensorType.INT32);
            case "boolean" -> value instanceof Boolean ? value : null;
            case "string", "binary", "datetime" -> value instanceof String ? value : null;
            default -> value;
        };
        if (converted == null) {
            throw AtelierException.invalidParameter("column '" + column + "' has type " + type + ", but row " + row
                    + " holds " + ProtocolJson.describe(value));
        }
        return converted;
    }

    /**
     * A CSV cell as the column's type wants it: an empty cell is missing; numbers and booleans are
     * parsed (booleans as pandas reads them: {@code true}/{@code True}/{@code TRUE} and the false
     * forms); a column the signature does not type becomes a number when the cell is one.
     *
     * @param type the column's type, or {@code null} when the signature does not name the column
     */
    static Object parseText(String text, String type, String column, int row) {
        if (text.isEmpty()) {
            return null;
        }
        if (type == null || type.equals("any")) {
            Object number = number(text);
            return number == null ? text : number;
        }
        return switch (type) {
            case "double", "float", "long", "integer" -> {
                Object number = number(text);
                yield coerce(number == null ? text : number, type, column, row);
            }
            case "boolean" -> switch (text) {
                case "true", "True", "TRUE" -> Boolean.TRUE;
                case "false", "False", "FALSE" -> Boolean.FALSE;
                default -> coerce(text, type, column, row);
            };
            default -> text;
        };
    }

    /** The Open Inference Protocol datatype of a column type ({@code BYTES} for text and composite types). */
    static TensorType tensorType(ColumnSpec spec) {
        return switch (spec.type()) {
            case "double" -> TensorType.FP64;
            case "float" -> TensorType.FP32;
            case "long" -> TensorType.INT64;
            case "integer" -> TensorType.INT32;
            case "boolean" -> TensorType.BOOL;
            default -> TensorType.BYTES;
        };
    }

    private static Object numeric(Object value, TensorType type) {
        if (!(value instanceof Number)) {
            return null;
        }
        try {
            return TensorValues.element(value, type, "", 0);
        } catch (AtelierException e) {
            return null;
        }
    }

    /** A Long for whole decimal text, a Double for other numeric text, null for text that is no number. */
    private static Object number(String text) {
        char first = text.charAt(0);
        if (!(first >= '0' && first <= '9') && first != '-' && first != '+' && first != '.'
                && first != 'N' && first != 'I' && first != 'i' && first != 'n') {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notWhole) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException notNumber) {
                return null;
            }
        }
    }
}

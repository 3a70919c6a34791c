package dev.atelier.server.models;

import dev.atelier.api.AtelierException;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A batch as a dense row-major matrix of numeric features, the form XGBoost, Tribuo and ONNX models
 * of tabular data take. Missing values ({@code null}) become NaN, booleans 1 and 0.
 *
 * @param values {@code rows * columns} values, row after row
 */
record FeatureMatrix(int rows, int columns, double[] values) {
    FeatureMatrix {
        requireNonNull(values, "values is null");
        if ((long) rows * columns != values.length) {
            throw new IllegalArgumentException(rows + "x" + columns + " matrix with " + values.length + " values");
        }
    }

    /**
     * The matrix of {@code input}. A table gives its columns in the order of {@code featureNames}
     * when the model names its features (extra columns are ignored, a missing one is refused), in its
     * own order otherwise; tensors must be one tensor of shape {@code [rows, features]}.
     *
     * @param featureCount the number of features the model takes, or -1 when it does not say
     * @throws AtelierException {@code INVALID_PARAMETER_VALUE} when the input does not fit
     */
    static FeatureMatrix of(ModelInput input, List<String> featureNames, int featureCount) {
        FeatureMatrix matrix = switch (input) {
            case Table table -> featureNames.isEmpty() ? fromTable(table, table.columns()) : fromTable(table, featureNames);
            case Tensors tensors -> fromTensors(tensors);
        };
        if (featureCount >= 0 && matrix.columns != featureCount) {
            throw AtelierException.invalidParameter("the model takes " + featureCount + " features, the input has " + matrix.columns);
        }
        return matrix;
    }

    double get(int row, int column) {
        return values[row * columns + column];
    }

    float[] floats() {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static FeatureMatrix fromTable(Table table, List<String> names) {
        int[] positions = new int[names.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = table.indexOf(names.get(i));
            if (positions[i] < 0) {
                throw AtelierException.invalidParameter("the input has no column '" + names.get(i) + "', which the model takes");
            }
        }
        int rows = table.rows().size();
        double[] values = new double[rows * positions.length];
        for (int row = 0; row < rows; row++) {
            List<Object> line = table.rows().get(row);
            for (int column = 0; column < positions.length; column++) {
                values[row * positions.length + column] = number(line.get(positions[column]), names.get(column), row);
            }
        }
        return new FeatureMatrix(rows, positions.length, values);
    }

    private static FeatureMatrix fromTensors(Tensors tensors) {
        if (tensors.tensors().size() != 1) {
            throw AtelierException.invalidParameter("the model takes one tensor of shape [rows, features], the input has "
                    + tensors.tensors().size() + " tensors");
        }
        Tensor tensor = tensors.tensors().getFirst();
        if (tensor.shape().size() != 2) {
            throw AtelierException.invalidParameter("tensor '" + tensor.name() + "' must have shape [rows, features], has " + tensor.shape());
        }
        return new FeatureMatrix(Math.toIntExact(tensor.shape().get(0)), Math.toIntExact(tensor.shape().get(1)), tensor.doubles());
    }

    private static double number(Object value, String column, int row) {
        return switch (value) {
            case null -> Double.NaN;
            case Number number -> number.doubleValue();
            case Boolean bool -> bool ? 1 : 0;
            default -> throw AtelierException.invalidParameter("column '" + column + "' of row " + row + " must be a number, got '" + value + "'");
        };
    }
}

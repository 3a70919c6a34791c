package dev.atelier.server.batch;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.Schema;
import dev.atelier.api.mlmodel.SchemaSpec;
import dev.atelier.server.models.ArrayOutput;
import dev.atelier.server.models.ModelOutput;
import dev.atelier.server.models.ModelRuntime;
import dev.atelier.server.models.Table;
import dev.atelier.server.models.Tensors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A no-code model scoring mini-batches of CSV rows in this JVM: the rows go to the model as one numeric tensor of shape
 * {@code [rows, features]} (the columns the model's signature names, in its order; every column of the file when it
 * names none), and its answer comes back as columns: a tensor of shape {@code [rows]} is one column named after it, of
 * shape {@code [rows, k]} k columns {@code <name>_0..}; a table's columns as they are. Tensors are read as primitive
 * arrays where the runtime gives them so ({@link ModelRuntime#predictMatrixArrays}), and each value is written as text
 * straight from them (the JDK's shortest round-tripping decimal for floats and doubles), never boxed. Thread-safe (the
 * runtime is). A model whose signature declares a column of type {@code string} ({@link #typed()}: AutoML models with
 * category or text inputs) gets its rows as a table instead, read as text ({@link CsvCells}), its string columns as
 * text and the others as numbers.
 */
final class JvmScorer implements AutoCloseable {
    private final ModelRuntime runtime;
    private final List<String> features;
    private final boolean[] text;

    JvmScorer(ModelRuntime runtime) {
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.features = runtime.signature().inputs().filter(schema -> !schema.isTensorBased()).map(JvmScorer::names).orElse(List.of());
        this.text = new boolean[features.size()];
        List<SchemaSpec> specs = runtime.signature().inputs().map(Schema::specs).orElse(List.of());
        for (int i = 0; i < features.size(); i++) { // features are the signature's named columns, in its order
            text[i] = specs.get(i) instanceof ColumnSpec column && "string".equals(column.type());
        }
    }

    /** Whether the model takes a string column: its rows are read as text ({@link CsvCells}) and given as a table. */
    boolean typed() {
        for (boolean column : text) {
            if (column) {
                return true;
            }
        }
        return false;
    }

    /**
     * Predicts rows read as text (the model's columns in its order, null for empty): its string columns as text, the
     * others as numbers.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming a numeric column's value that is no number
     */
    Prediction predict(List<List<String>> cells) {
        List<List<Object>> rows = new ArrayList<>(cells.size());
        for (List<String> row : cells) {
            List<Object> values = new ArrayList<>(row.size());
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                try {
                    values.add(cell == null || text[i] ? cell : (Object) Double.parseDouble(cell.strip()));
                } catch (NumberFormatException e) {
                    throw AtelierException.invalidParameter("column '" + features.get(i) + "' has '" + cell + "', which is no number");
                }
            }
            rows.add(values);
        }
        return prediction(runtime.predict(new Table(features, rows)), cells.size());
    }

    private static List<String> names(Schema schema) {
        List<String> names = new ArrayList<>();
        for (SchemaSpec spec : schema.specs()) {
            if (spec instanceof ColumnSpec column && column.name().isPresent()) {
                names.add(column.name().get());
            } else {
                return List.of();
            }
        }
        return names;
    }

    /**
     * The positions in {@code header} of the columns the model takes.
     *
     * @throws AtelierException INVALID_PARAMETER_VALUE naming a column the model takes that the file lacks
     */
    int[] columns(List<String> header, String file) {
        if (features.isEmpty()) {
            return java.util.stream.IntStream.range(0, header.size()).toArray();
        }
        int[] positions = new int[features.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = header.indexOf(features.get(i));
            if (positions[i] < 0) {
                throw AtelierException.invalidParameter("File " + file + " has no column '" + features.get(i) + "', which the model takes "
                        + "(its columns: " + header + ")");
            }
        }
        return positions;
    }

    /** Predicts {@code rows} rows of {@code width} values each; the answer's columns, each with one value per row. */
    Prediction predict(double[] values, int rows, int width) {
        Optional<List<ArrayOutput>> arrays = runtime.predictMatrixArrays(values, rows, width);
        if (arrays.isPresent()) {
            return fromArrays(arrays.get(), rows);
        }
        return prediction(runtime.predictMatrix(values, rows, width), rows);
    }

    private static Prediction prediction(ModelOutput output, int rows) {
        return switch (output) {
            case Tensors tensors -> fromArrays(tensors.tensors().stream().map(ArrayOutput::of).toList(), rows);
            case Table table -> {
                List<String> names = new ArrayList<>();
                List<Column> columns = new ArrayList<>();
                for (int j = 0; j < table.columns().size(); j++) {
                    int column = j;
                    names.add(table.columns().get(j));
                    columns.add((out, row) -> {
                        Object value = table.rows().get(row).get(column);
                        if (value instanceof String text) {
                            out.append(BatchOutput.csv(text));
                        } else if (value != null) {
                            out.append(value);
                        }
                    });
                }
                yield new Prediction(names, columns);
            }
        };
    }

    private static Prediction fromArrays(List<ArrayOutput> outputs, int rows) {
        List<String> names = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (ArrayOutput output : outputs) {
            List<Long> shape = output.shape();
            if (shape.isEmpty() || shape.getFirst() != rows || shape.size() > 2) {
                throw AtelierException.invalidParameter("the model answered tensor '" + output.name() + "' of shape " + shape
                        + " for " + rows + " rows");
            }
            int k = shape.size() == 1 ? 1 : Math.toIntExact(shape.get(1));
            for (int j = 0; j < k; j++) {
                names.add(k == 1 && shape.size() == 1 ? output.name() : output.name() + "_" + j);
                columns.add(column(output.values(), k, j));
            }
        }
        return new Prediction(names, columns);
    }

    /** Column {@code j} of {@code k} of a primitive array, each value appended as text without boxing. */
    private static Column column(Object values, int k, int j) {
        return switch (values) {
            case float[] floats -> (out, row) -> out.append(floats[row * k + j]);
            case double[] doubles -> (out, row) -> out.append(doubles[row * k + j]);
            case long[] longs -> (out, row) -> out.append(longs[row * k + j]);
            case boolean[] booleans -> (out, row) -> out.append(booleans[row * k + j]);
            case String[] texts -> (out, row) -> out.append(BatchOutput.csv(texts[row * k + j]));
            default -> throw new IllegalArgumentException("not an output array: " + values.getClass());
        };
    }

    /** One column of a mini-batch's predictions: appends a row's value as CSV text. */
    @FunctionalInterface
    interface Column {
        void append(StringBuilder out, int row);
    }

    /** A mini-batch's predictions: column names, and per column one value per row. */
    record Prediction(List<String> names, List<Column> columns) {
    }

    @Override
    public void close() {
        runtime.close();
    }
}

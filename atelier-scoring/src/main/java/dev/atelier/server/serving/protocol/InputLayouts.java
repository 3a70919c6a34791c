package dev.atelier.server.serving.protocol;

import dev.atelier.api.AtelierException;
import dev.atelier.api.mlmodel.ColumnSpec;
import dev.atelier.api.mlmodel.TensorSpec;
import dev.atelier.server.models.Tensor;
import dev.atelier.server.models.TensorType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Tables as tensors and tensors as tables, for a signature of the other kind (see {@link SignatureCheck}). */
final class InputLayouts {
    private InputLayouts() {
    }

    /** Columns and raw rows, not yet checked. */
    record Rows(List<String> columns, List<List<Object>> rows) {
        Rows {
            requireNonNull(columns, "columns is null");
            requireNonNull(rows, "rows is null");
        }
    }

    /**
     * Tensors as rows of the signature's columns: one tensor per column ({@code []}, {@code [rows]}
     * or {@code [rows, 1]}), or one {@code [rows, columns]} tensor in the signature's column order, or
     * one {@code [rows]} tensor for a one-column signature.
     */
    static Rows rowsOfTensors(List<Tensor> tensors, List<ColumnSpec> specs) {
        List<String> names = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            names.add(SignatureCheck.nameOf(specs.get(i), "column", i));
        }
        Set<String> known = new HashSet<>(names);
        if (!tensors.isEmpty() && tensors.stream().allMatch(tensor -> known.contains(tensor.name()))) {
            return columnTensors(tensors);
        }
        if (tensors.size() == 1) {
            Tensor tensor = tensors.getFirst();
            List<Long> shape = tensor.shape();
            if (shape.size() == 2 && shape.get(1) == specs.size()) {
                return matrix(tensor, names);
            }
            if (shape.size() == 1 && specs.size() == 1) {
                return columnTensors(List.of(new Tensor(names.getFirst(), tensor.type(), shape, tensor.values())));
            }
        }
        throw AtelierException.invalidParameter("the model takes columns " + names + ": send one input per column "
                + "(shape [rows] or [rows, 1]) or one input of shape [rows, " + specs.size() + "]; the input has "
                + tensors.stream().map(tensor -> "'" + tensor.name() + "' " + tensor.shape()).toList());
    }

    /**
     * A table as tensors: for one tensor spec, one {@code [rows, columns]} tensor of its dtype (or
     * {@code [rows]} when the spec has one dimension and the table one column); for several named
     * specs, one {@code [rows]} tensor per column named as a spec.
     */
    static List<Tensor> tensorsOfTable(List<String> columns, List<List<Object>> rows, List<TensorSpec> specs) {
        for (int row = 0; row < rows.size(); row++) {
            List<Object> line = rows.get(row);
            if (line == null || line.size() != columns.size()) {
                throw AtelierException.invalidParameter("row " + row + " has " + (line == null ? 0 : line.size())
                        + " values for " + columns.size() + " columns " + columns);
            }
        }
        if (specs.size() == 1) {
            TensorSpec spec = specs.getFirst();
            TensorType type = TensorType.fromNumpyName(spec.dtype());
            String name = SignatureCheck.nameOf(spec, "input", 0);
            List<Object> values = new ArrayList<>(rows.size() * columns.size());
            rows.forEach(values::addAll);
            List<Long> shape = spec.shape().size() == 1 && columns.size() == 1
                    ? List.of((long) rows.size()) : List.of((long) rows.size(), (long) columns.size());
            return List.of(TensorValues.fromData(name, values, shape, type));
        }
        List<Tensor> tensors = new ArrayList<>(columns.size());
        for (int column = 0; column < columns.size(); column++) {
            String name = columns.get(column);
            TensorSpec spec = specs.stream().filter(candidate -> candidate.name().orElse("").equals(name)).findFirst()
                    .orElseThrow(() -> AtelierException.invalidParameter("the model takes tensors " + specs.stream()
                            .map(candidate -> candidate.name().orElse("")).toList() + "; the input has column '" + name + "'"));
            List<Object> values = new ArrayList<>(rows.size());
            for (List<Object> line : rows) {
                values.add(line.get(column));
            }
            tensors.add(TensorValues.fromData(name, values, List.of((long) rows.size()), TensorType.fromNumpyName(spec.dtype())));
        }
        return tensors;
    }

    private static Rows columnTensors(List<Tensor> tensors) {
        long rows = -1;
        for (Tensor tensor : tensors) {
            List<Long> shape = tensor.shape();
            boolean column = shape.isEmpty() || shape.size() == 1 || (shape.size() == 2 && shape.get(1) == 1);
            if (!column) {
                throw AtelierException.invalidParameter("input '" + tensor.name() + "' is a column: it must have shape [rows] "
                        + "or [rows, 1], got " + shape);
            }
            long count = tensor.values().size();
            if (rows >= 0 && count != rows) {
                throw AtelierException.invalidParameter("the inputs have different numbers of rows: input '" + tensor.name()
                        + "' has " + count + ", the one before " + rows);
            }
            rows = count;
        }
        List<String> columns = tensors.stream().map(Tensor::name).toList();
        List<List<Object>> lines = new ArrayList<>((int) rows);
        for (int row = 0; row < rows; row++) {
            List<Object> line = new ArrayList<>(tensors.size());
            for (Tensor tensor : tensors) {
                line.add(tensor.values().get(row));
            }
            lines.add(line);
        }
        return new Rows(columns, lines);
    }

    private static Rows matrix(Tensor tensor, List<String> names) {
        int width = names.size();
        int rows = Math.toIntExact(tensor.shape().getFirst());
        List<List<Object>> lines = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            lines.add(tensor.values().subList(row * width, (row + 1) * width));
        }
        return new Rows(names, lines);
    }
}

package dev.atelier.server.models;

import dev.atelier.api.AtelierException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Rows of named columns: MLflow's {@code dataframe_split} ({@code columns} + {@code data}) and
 * {@code dataframe_records}. A value is a {@link Number}, {@link String}, {@link Boolean} or
 * {@code null} (missing).
 *
 * @throws AtelierException {@code INVALID_PARAMETER_VALUE} for duplicate column names, a row of the
 *                          wrong width or a value of another type
 */
public record Table(List<String> columns, List<List<Object>> rows) implements ModelInput, ModelOutput {
    public Table {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        Set<String> names = new HashSet<>();
        for (String column : columns) {
            if (!names.add(column)) {
                throw AtelierException.invalidParameter("two columns are named '" + column + "'");
            }
        }
        List<List<Object>> copy = new ArrayList<>();
        for (List<Object> row : requireNonNull(rows, "rows is null")) {
            if (row == null || row.size() != columns.size()) {
                throw AtelierException.invalidParameter("row " + copy.size() + " has " + (row == null ? 0 : row.size())
                        + " values for " + columns.size() + " columns");
            }
            for (Object value : row) {
                if (value != null && !(value instanceof Number) && !(value instanceof String) && !(value instanceof Boolean)) {
                    throw AtelierException.invalidParameter("row " + copy.size() + " holds a value that is not a number, "
                            + "string or boolean: " + value);
                }
            }
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    /** The position of {@code column}, or -1. */
    public int indexOf(String column) {
        return columns.indexOf(column);
    }

    @Override
    public long batchSize() {
        return rows.size();
    }
}

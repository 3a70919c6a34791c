package dev.atelier.workers.builtins;

import dev.atelier.workers.table.ColumnList;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;
import dev.atelier.workers.table.Values;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code normalize_data}: rescales numeric columns, {@code zscore} ({@code (x - mean) / standard deviation}) or
 * {@code minmax} ({@code (x - min) / (max - min)}); a constant column becomes 0; missing values stay missing. Options:
 * {@code --input}, {@code --method}, {@code --columns} (default: every column whose values are all numbers),
 * {@code --output}. Two passes: the statistics, then the rows; only the statistics are held.
 */
final class NormalizeData implements Builtin {
    @Override
    public void run(Arguments arguments) {
        Path input = arguments.path("input");
        String method = arguments.choice("method", "zscore", "zscore", "minmax");
        Optional<String> names = arguments.optional("columns").filter(value -> !value.isBlank());
        Path output = arguments.path("output");
        arguments.checkAllRead();
        List<String> columns;
        int[] positions;
        DoubleColumn[] statistics;
        boolean[] numeric;
        try (TableReader reader = TableReader.open(input)) {
            columns = ColumnList.orAll("columns", names, reader);
            positions = reader.indexesOf(columns);
            statistics = new DoubleColumn[positions.length];
            numeric = new boolean[positions.length];
            for (int i = 0; i < positions.length; i++) {
                statistics[i] = new DoubleColumn(false);
                numeric[i] = true;
            }
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                for (int i = 0; i < positions.length; i++) {
                    if (!numeric[i]) {
                        continue;
                    }
                    Double value = Values.parse(row[positions[i]]);
                    if (value == null) {
                        if (names.isPresent()) {
                            throw new TableException("column '" + columns.get(i) + "' holds '" + row[positions[i]] + "' in row "
                                    + reader.rowNumber() + ", which is not a number: normalize_data rescales numeric columns");
                        }
                        numeric[i] = false;
                    } else if (!value.isNaN()) {
                        statistics[i].add(value);
                    }
                }
            }
        }
        double[] offset = new double[positions.length];
        double[] scale = new double[positions.length];
        List<String> rescaled = new ArrayList<>();
        for (int i = 0; i < positions.length; i++) {
            if (!numeric[i] || statistics[i].count() == 0) {
                continue;
            }
            rescaled.add(columns.get(i));
            offset[i] = method.equals("zscore") ? statistics[i].mean() : statistics[i].min();
            double spread = method.equals("zscore") ? statistics[i].standardDeviation() : statistics[i].max() - statistics[i].min();
            scale[i] = spread > 0 ? 1 / spread : 0;
        }
        try (TableReader reader = TableReader.open(input); TableWriter writer = TableWriter.create(output, reader.columns())) {
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                for (int i = 0; i < positions.length; i++) {
                    String value = row[positions[i]];
                    if (numeric[i] && !Values.missing(value)) {
                        row[positions[i]] = Values.format((Values.number(value, columns.get(i), reader.rowNumber()) - offset[i]) * scale[i]);
                    }
                }
                writer.write(row);
            }
        }
        System.out.println("normalize_data (" + method + "): " + rescaled);
    }
}

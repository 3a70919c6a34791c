package dev.atelier.workers.builtins;

import dev.atelier.workers.table.ColumnList;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;
import dev.atelier.workers.table.Values;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code clean_missing_data}: missing values (empty fields) of the named columns (every column by default) are removed
 * with their row ({@code remove_row}) or replaced by a value ({@code replace_value}, {@code --value}) or by the column's
 * mean, median or mode. Options: {@code --input}, {@code --columns}, {@code --mode}, {@code --value}, {@code --output}.
 * {@code remove_row} and {@code replace_value} stream in one pass; the others read the table twice (statistics, then
 * the rows), holding the median's numbers or the mode's distinct values of the named columns only.
 */
final class CleanMissingData implements Builtin {
    @Override
    public void run(Arguments arguments) {
        Path input = arguments.path("input");
        var names = arguments.optional("columns");
        String mode = arguments.choice("mode", "remove_row", "remove_row", "replace_value", "replace_mean", "replace_median", "replace_mode");
        String value = arguments.text("value", "0");
        Path output = arguments.path("output");
        arguments.checkAllRead();
        List<String> columns;
        int[] positions;
        String[] replacements;
        try (TableReader reader = TableReader.open(input)) {
            columns = ColumnList.orAll("columns", names, reader);
            positions = reader.indexesOf(columns);
            replacements = switch (mode) {
                case "remove_row" -> null;
                case "replace_value" -> filled(positions.length, value);
                case "replace_mode" -> modes(reader, columns, positions);
                default -> numeric(reader, columns, positions, mode.equals("replace_mean"));
            };
        }
        long changed = 0;
        try (TableReader reader = TableReader.open(input); TableWriter writer = TableWriter.create(output, reader.columns())) {
            rows:
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                for (int i = 0; i < positions.length; i++) {
                    if (Values.missing(row[positions[i]])) {
                        changed++;
                        if (replacements == null) {
                            continue rows;
                        }
                        row[positions[i]] = replacements[i];
                    }
                }
                writer.write(row);
            }
        }
        System.out.println("clean_missing_data: " + (mode.equals("remove_row") ? changed + " rows removed" : changed + " values replaced"));
    }

    private static String[] filled(int count, String value) {
        String[] values = new String[count];
        Arrays.fill(values, value);
        return values;
    }

    private static String[] modes(TableReader reader, List<String> columns, int[] positions) {
        List<Map<String, Long>> counts = columns.stream().<Map<String, Long>>map(column -> new HashMap<>()).toList();
        for (String[] row = reader.next(); row != null; row = reader.next()) {
            for (int i = 0; i < positions.length; i++) {
                if (!Values.missing(row[positions[i]])) {
                    counts.get(i).merge(row[positions[i]], 1L, Long::sum);
                }
            }
        }
        String[] modes = new String[positions.length];
        for (int i = 0; i < positions.length; i++) {
            // the most frequent value; ties go to the smallest text, so the answer does not depend on hashing
            modes[i] = counts.get(i).entrySet().stream()
                    .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
                    .map(Map.Entry::getKey).orElseThrow(() -> allMissing(columns, positions, counts));
        }
        return modes;
    }

    private static TableException allMissing(List<String> columns, int[] positions, List<Map<String, Long>> counts) {
        for (int i = 0; i < positions.length; i++) {
            if (counts.get(i).isEmpty()) {
                return new TableException("column '" + columns.get(i) + "' has no value at all to replace its missing values with");
            }
        }
        return new TableException("no value to replace with");
    }

    private static String[] numeric(TableReader reader, List<String> columns, int[] positions, boolean mean) {
        DoubleColumn[] values = new DoubleColumn[positions.length];
        Arrays.setAll(values, i -> new DoubleColumn(!mean));
        for (String[] row = reader.next(); row != null; row = reader.next()) {
            for (int i = 0; i < positions.length; i++) {
                double number = Values.number(row[positions[i]], columns.get(i), reader.rowNumber());
                if (!Double.isNaN(number)) {
                    values[i].add(number);
                }
            }
        }
        String[] replacements = new String[positions.length];
        for (int i = 0; i < positions.length; i++) {
            if (values[i].count() == 0) {
                throw new TableException("column '" + columns.get(i) + "' has no value at all to replace its missing values with");
            }
            replacements[i] = Values.format(mean ? values[i].mean() : values[i].median());
        }
        return replacements;
    }
}

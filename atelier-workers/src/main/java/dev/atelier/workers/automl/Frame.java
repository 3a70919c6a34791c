package dev.atelier.workers.automl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A table held by column in primitive arrays: a column whose every non-empty cell is a number is a {@link Numeric}
 * (NaN for missing), any other a {@link Text} of dictionary codes (-1 for missing). Immutable once built.
 */
public record Frame(List<Column> columns, int rows) {
    public Frame {
        columns = List.copyOf(columns);
    }

    /** A column of the frame. */
    public sealed interface Column permits Numeric, Text {
        String name();

        /** The cell as a featurizer reads it: a Double, a String or null when missing. */
        Object value(int row);

        /** Whether the cell is missing. */
        boolean missing(int row);
    }

    /** Numbers; NaN is missing. */
    public record Numeric(String name, double[] values) implements Column {
        public Numeric {
            requireNonNull(name, "name is null");
        }

        @Override
        public Object value(int row) {
            return Double.isNaN(values[row]) ? null : values[row];
        }

        @Override
        public boolean missing(int row) {
            return Double.isNaN(values[row]);
        }
    }

    /** Text cells as codes into {@code dictionary}; -1 is missing. */
    public record Text(String name, int[] codes, List<String> dictionary) implements Column {
        public Text {
            requireNonNull(name, "name is null");
            dictionary = List.copyOf(dictionary);
        }

        @Override
        public Object value(int row) {
            return codes[row] < 0 ? null : dictionary.get(codes[row]);
        }

        @Override
        public boolean missing(int row) {
            return codes[row] < 0;
        }
    }

    /** The column named {@code name}, or null. */
    public Column column(String name) {
        return columns.stream().filter(column -> column.name().equals(name)).findFirst().orElse(null);
    }

    /** The rows at {@code indexes} (in that order) as a new frame. */
    public Frame select(int[] indexes) {
        List<Column> selected = new ArrayList<>();
        for (Column column : columns) {
            switch (column) {
                case Numeric numeric -> {
                    double[] values = new double[indexes.length];
                    for (int i = 0; i < indexes.length; i++) {
                        values[i] = numeric.values()[indexes[i]];
                    }
                    selected.add(new Numeric(numeric.name(), values));
                }
                case Text text -> {
                    int[] codes = new int[indexes.length];
                    for (int i = 0; i < indexes.length; i++) {
                        codes[i] = text.codes()[indexes[i]];
                    }
                    selected.add(new Text(text.name(), codes, text.dictionary()));
                }
            }
        }
        return new Frame(selected, indexes.length);
    }

    /** Builds one column cell by cell: numbers until a cell that is not one, then text. Not thread-safe. */
    static final class ColumnBuilder {
        private final String name;
        private double[] numbers = new double[1024];
        private int[] codes;
        private final List<String> dictionary = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();
        private int size;

        ColumnBuilder(String name) {
            this.name = name;
        }

        void add(String cell) {
            String text = cell == null ? "" : cell.trim();
            boolean missing = text.isEmpty() || text.equalsIgnoreCase("nan") || text.equalsIgnoreCase("null") || text.equalsIgnoreCase("NA");
            if (codes == null) {
                double number = missing ? Double.NaN : parse(text);
                if (missing || !Double.isNaN(number)) {
                    if (size == numbers.length) {
                        numbers = java.util.Arrays.copyOf(numbers, size * 2);
                    }
                    numbers[size++] = number;
                    return;
                }
                switchToText();
            }
            if (size == codes.length) {
                codes = java.util.Arrays.copyOf(codes, size * 2);
            }
            codes[size++] = missing ? -1 : code(text);
        }

        private void switchToText() {
            codes = new int[numbers.length];
            for (int i = 0; i < size; i++) {
                codes[i] = Double.isNaN(numbers[i]) ? -1 : code(dev.atelier.server.models.automl.ColumnTransform.categoryKey(numbers[i]));
            }
            numbers = null;
        }

        private int code(String text) {
            return index.computeIfAbsent(text, key -> {
                dictionary.add(key);
                return dictionary.size() - 1;
            });
        }

        private static double parse(String text) {
            return dev.atelier.server.models.automl.ColumnTransform.parseNumber(text);
        }

        Column build() {
            return codes == null ? new Numeric(name, java.util.Arrays.copyOf(numbers, size))
                    : new Text(name, java.util.Arrays.copyOf(codes, size), dictionary);
        }
    }
}

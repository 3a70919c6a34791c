package dev.atelier.workers.table;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** A component's {@code columns} parameter: names separated by commas, spaces around them ignored. Stateless. */
public final class ColumnList {
    private ColumnList() {
    }

    /**
     * The names in {@code text}, in order, each once.
     *
     * @throws TableException naming {@code parameter} when it names no column
     */
    public static List<String> parse(String parameter, String text) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                names.add(part.strip());
            }
        }
        if (names.isEmpty()) {
            throw new TableException("'" + parameter + "' names no column: write column names separated by commas");
        }
        return new ArrayList<>(names);
    }

    /** The columns named by {@code text}, or every column of the table when absent. Each must exist in {@code reader}. */
    public static List<String> orAll(String parameter, Optional<String> text, TableReader reader) {
        List<String> names = text.filter(value -> !value.isBlank()).map(value -> parse(parameter, value)).orElse(reader.columns());
        names.forEach(reader::indexOf);
        return names;
    }
}

package dev.atelier.workers.builtins;

import dev.atelier.workers.table.ColumnList;
import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;
import dev.atelier.workers.table.Values;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code edit_metadata}: renames columns and converts their values to a type. Options: {@code --input}, {@code --columns}
 * (comma list), {@code --new_names} (comma list, as many as {@code columns}), {@code --type} ({@code unchanged},
 * {@code string}, {@code integer}: numbers rounded to the nearest integer, {@code float}, {@code boolean}: true/false,
 * yes/no, 1/0 written true/false), {@code --output}. A value that does not convert is refused naming its row; missing
 * values stay missing. Streams row by row.
 */
final class EditMetadata implements Builtin {
    @Override
    public void run(Arguments arguments) {
        Path input = arguments.path("input");
        List<String> columns = ColumnList.parse("columns", arguments.text("columns"));
        Optional<List<String>> newNames = arguments.optional("new_names").filter(value -> !value.isBlank())
                .map(value -> ColumnList.parse("new_names", value));
        String type = arguments.choice("type", "unchanged", "unchanged", "string", "integer", "float", "boolean");
        Path output = arguments.path("output");
        arguments.checkAllRead();
        if (newNames.isPresent() && newNames.get().size() != columns.size()) {
            throw new TableException("'new_names' has " + newNames.get().size() + " names for " + columns.size() + " columns");
        }
        try (TableReader reader = TableReader.open(input)) {
            int[] positions = reader.indexesOf(columns);
            List<String> header = new ArrayList<>(reader.columns());
            newNames.ifPresent(names -> {
                for (int i = 0; i < positions.length; i++) {
                    header.set(positions[i], names.get(i));
                }
            });
            if (new HashSet<>(header).size() != header.size()) {
                throw new TableException("the new names make two columns of the same name: " + header);
            }
            try (TableWriter writer = TableWriter.create(output, header)) {
                for (String[] row = reader.next(); row != null; row = reader.next()) {
                    if (!type.equals("unchanged") && !type.equals("string")) {
                        for (int i = 0; i < positions.length; i++) {
                            row[positions[i]] = convert(row[positions[i]], type, columns.get(i), reader.rowNumber());
                        }
                    }
                    writer.write(row);
                }
            }
        }
    }

    private static String convert(String value, String type, String column, long row) {
        if (Values.missing(value)) {
            return value;
        }
        return switch (type) {
            case "integer" -> Long.toString(Math.round(Values.number(value, column, row)));
            case "float" -> Values.format(Values.number(value, column, row));
            case "boolean" -> switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "1.0", "t", "y" -> "true";
                case "false", "no", "0", "0.0", "f", "n" -> "false";
                default -> throw new TableException("column '" + column + "' holds '" + value + "' in row " + row
                        + ", which is not a boolean (true/false, yes/no, 1/0)");
            };
            default -> value;
        };
    }
}

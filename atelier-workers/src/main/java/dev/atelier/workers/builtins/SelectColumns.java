package dev.atelier.workers.builtins;

import dev.atelier.workers.table.ColumnList;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code select_columns}: keeps the named columns, in the order named. Options: {@code --input}, {@code --columns}
 * (comma list), {@code --output}. Streams row by row.
 */
final class SelectColumns implements Builtin {
    @Override
    public void run(Arguments arguments) {
        Path input = arguments.path("input");
        List<String> columns = ColumnList.parse("columns", arguments.text("columns"));
        Path output = arguments.path("output");
        arguments.checkAllRead();
        try (TableReader reader = TableReader.open(input)) {
            int[] positions = reader.indexesOf(columns);
            try (TableWriter writer = TableWriter.create(output, columns)) {
                String[] selected = new String[positions.length];
                for (String[] row = reader.next(); row != null; row = reader.next()) {
                    for (int i = 0; i < positions.length; i++) {
                        selected[i] = row[positions[i]];
                    }
                    writer.write(selected);
                }
            }
        }
    }
}

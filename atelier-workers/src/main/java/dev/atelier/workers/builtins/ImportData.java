package dev.atelier.workers.builtins;

import dev.atelier.workers.table.TableException;
import dev.atelier.workers.table.TableReader;
import dev.atelier.workers.table.TableWriter;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code import_data}: a data asset (one CSV file, or a folder of CSV files sharing their header) as a table folder.
 * Options: {@code --file} or {@code --folder} (exactly one), {@code --output}. Streams row by row.
 */
final class ImportData implements Builtin {
    @Override
    public void run(Arguments arguments) {
        Optional<Path> file = arguments.optionalPath("file");
        Optional<Path> folder = arguments.optionalPath("folder");
        Path output = arguments.path("output");
        arguments.checkAllRead();
        if (file.isPresent() == folder.isPresent()) {
            throw new TableException("import_data reads one data asset: bind either the input 'data' (a uri_file or table asset) "
                    + "or 'data_folder' (a uri_folder asset)" + (file.isPresent() ? ", not both" : ""));
        }
        try (TableReader reader = TableReader.open(file.or(() -> folder).orElseThrow());
             TableWriter writer = TableWriter.create(output, reader.columns())) {
            for (String[] row = reader.next(); row != null; row = reader.next()) {
                writer.write(row);
            }
            System.out.println("import_data: " + writer.rows() + " rows, columns " + reader.columns());
        }
    }
}

package dev.atelier.workers.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a table's rows are: {@code data.csv} of a table folder, or the CSV files of any folder (a {@code uri_folder}
 * data asset), or one CSV file (a {@code uri_file} or {@code table} data asset). Stateless.
 */
public final class TableFiles {
    /** The file a table folder holds its rows in. */
    public static final String DATA_FILE = "data.csv";

    private TableFiles() {
    }

    /**
     * The CSV files of {@code path}: the file itself; or for a folder its {@code data.csv} when it has one, else every
     * {@code .csv} file under it in name order.
     *
     * @throws TableException when the path does not exist or a folder holds no CSV file
     */
    public static List<Path> csvFiles(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new TableException("no table at '" + path + "': it does not exist");
        }
        if (Files.isRegularFile(path.resolve(DATA_FILE))) {
            return List.of(path.resolve(DATA_FILE));
        }
        try (Stream<Path> files = Files.walk(path)) {
            List<Path> csv = files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
                    .sorted().toList();
            if (csv.isEmpty()) {
                throw new TableException("no table at '" + path + "': the folder holds no .csv file");
            }
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }

    /** The rows file of the table folder {@code folder} (created with its parents when missing). */
    public static Path dataFile(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
        return folder.resolve(DATA_FILE);
    }
}

package dev.atelier.workers.builtins;

import dev.atelier.workers.table.TableReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small tables for the built-in components' tests. */
final class BuiltinFixtures {
    private BuiltinFixtures() {
    }

    static Path csv(Path folder, String name, String text) throws IOException {
        Path table = folder.resolve(name);
        Files.createDirectories(table);
        Files.writeString(table.resolve("data.csv"), text);
        return table;
    }

    /** The rows of a table folder, header first. */
    static List<List<String>> rows(Path table) {
        List<List<String>> rows = new ArrayList<>();
        try (TableReader reader = TableReader.open(table)) {
            rows.add(reader.columns());
            reader.readAll().forEach(row -> rows.add(List.of(row)));
        }
        return rows;
    }

    /**
     * {@code rows} points (x0, x1) drawn with a seed, with {@code label} yes when x0 + x1 > 1, and a numeric
     * {@code target} = 3 x0 - 2 x1.
     */
    static Path points(Path folder, String name, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder("x0,x1,label,target\n");
        for (int i = 0; i < rows; i++) {
            double x0 = random.nextDouble();
            double x1 = random.nextDouble();
            text.append(x0).append(',').append(x1).append(',').append(x0 + x1 > 1 ? "yes" : "no").append(',')
                    .append(3 * x0 - 2 * x1).append('\n');
        }
        return csv(folder, name, text.toString());
    }
}

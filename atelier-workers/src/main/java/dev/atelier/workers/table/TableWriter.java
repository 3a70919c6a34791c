package dev.atelier.workers.table;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a table folder's {@code data.csv} row by row: the header first, then rows as wide as it. A field is quoted (RFC
 * 4180) when it holds a comma, a quote, a line break or starts or ends with a space. Not thread-safe; close it.
 */
public final class TableWriter implements AutoCloseable {
    private final Writer out;
    private final int width;
    private long rows;

    private TableWriter(Path file, List<String> columns) {
        try {
            out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        width = columns.size();
        write(columns.toArray(String[]::new));
        rows = 0;
    }

    /** Creates {@code folder} (a table folder) and its {@code data.csv} with this header. */
    public static TableWriter create(Path folder, List<String> columns) {
        return new TableWriter(TableFiles.dataFile(folder), columns);
    }

    /** Writes one row; it must be as wide as the header. */
    public void write(String[] row) {
        if (row.length != width) {
            throw new IllegalArgumentException("a row of " + row.length + " values for " + width + " columns");
        }
        try {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.write(',');
                }
                field(row[i]);
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows++;
    }

    /** The number of rows written (the header not counted). */
    public long rows() {
        return rows;
    }

    private void field(String value) throws IOException {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (needsQuotes(value)) {
            out.write('"');
            out.write(value.replace("\"", "\"\""));
            out.write('"');
        } else {
            out.write(value);
        }
    }

    private static boolean needsQuotes(String value) {
        if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.atelier.server.batch;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file's rows as text, for a no-code model whose signature declares string columns (AutoML models with
 * category or text inputs): {@link CsvRows} reads numbers only. Fields follow RFC 4180 (double quotes around a field
 * that holds commas, quotes or line breaks; {@code ""} is a quote); the header names the columns as {@link CsvRows}
 * reads them; an empty line is no row. Slower than {@link CsvRows} (a string per field), used only for such models.
 * Not thread-safe.
 */
final class CsvCells implements AutoCloseable {
    private final BufferedReader in;
    private final List<String> header;
    private long row;
    private String error;

    CsvCells(Path file) throws IOException {
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        List<String> names = next();
        if (names != null && !names.isEmpty() && names.getFirst().startsWith("\uFEFF")) {
            names.set(0, names.getFirst().substring(1));
        }
        this.header = names == null ? List.of() : names.stream().map(String::strip).toList();
    }

    List<String> header() {
        return header;
    }

    /**
     * Up to {@code max} rows, each the fields at {@code columns} (positions in the header) in that order, null for an
     * empty field; fewer at the end of the file. A row with fewer fields than the header is described by {@link #error()}.
     */
    List<List<String>> read(int max, int[] columns) throws IOException {
        error = null;
        List<List<String>> rows = new ArrayList<>(Math.min(max, 4096));
        for (List<String> fields = rows.size() < max ? next() : null; fields != null; fields = rows.size() < max ? next() : null) {
            List<String> cells = new ArrayList<>(columns.length);
            for (int column : columns) {
                String value = column < fields.size() ? fields.get(column) : null;
                cells.add(value == null || value.isEmpty() ? null : value);
            }
            if (fields.size() < header.size() && error == null) {
                error = "row " + row + " has " + fields.size() + " values, the header " + header.size();
            }
            row++;
            rows.add(cells);
        }
        return rows;
    }

    /** The first short row of the last {@link #read}, or null. */
    String error() {
        return error;
    }

    /** Skips {@code count} rows (mini-batches a resumed job has finished). */
    void skip(long count) throws IOException {
        for (long i = 0; i < count && next() != null; i++) {
            row++;
        }
    }

    /** The next non-empty record's fields, or null at the end of the file. */
    private List<String> next() throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = in.read()) >= 0) {
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    if (in.read() == '"') {
                        field.append('"');
                    } else {
                        in.reset();
                        quoted = false;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n') {
                if (any || !field.isEmpty()) {
                    break;
                }
            } else if (c != '\r') {
                field.append((char) c);
                any = true;
            }
        }
        if (!any && field.isEmpty()) {
            return null;
        }
        fields.add(field.toString());
        return fields;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

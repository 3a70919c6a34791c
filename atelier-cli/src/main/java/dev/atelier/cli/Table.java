package dev.atelier.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Rows of text printed as left-aligned columns separated by two spaces, with an optional header
 * row. The last column is not padded, so lines carry no trailing blanks. Not thread-safe.
 */
final class Table {
    private static final String GAP = "  ";

    private final String title;
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(String title, List<String> headers) {
        this.title = title;
        this.headers = headers;
    }

    /** A table whose first printed line names the columns. */
    static Table withHeaders(String... headers) {
        return new Table("", List.of(headers));
    }

    /** A table printed under a title line, its rows indented, as one section of a longer listing. */
    static Table titled(String title, String... headers) {
        return new Table(requireNonNull(title, "title is null"), List.of(headers));
    }

    /** A table of label and value pairs, such as the details of one object. */
    static Table details() {
        return new Table("", List.of());
    }

    /** Adds a row; {@code null} cells print as empty. */
    Table row(Object... cells) {
        rows.add(Arrays.stream(cells).map(cell -> cell == null ? "" : cell.toString()).toList());
        return this;
    }

    /** A titled section without rows, which listings leave out rather than print as a bare title. */
    boolean isEmptySection() {
        return !title.isEmpty() && rows.isEmpty();
    }

    void printTo(PrintWriter out) {
        requireNonNull(out, "out is null");
        List<List<String>> lines = new ArrayList<>();
        if (!headers.isEmpty()) {
            lines.add(headers);
        }
        lines.addAll(rows);
        int columns = lines.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> line : lines) {
            for (int column = 0; column < line.size(); column++) {
                widths[column] = Math.max(widths[column], line.get(column).length());
            }
        }
        String indent = title.isEmpty() ? "" : "  ";
        if (!title.isEmpty()) {
            out.println(title);
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder(indent);
            for (int column = 0; column < line.size(); column++) {
                String cell = line.get(column);
                text.append(cell);
                if (column < line.size() - 1) {
                    text.append(" ".repeat(widths[column] - cell.length())).append(GAP);
                }
            }
            out.println(text.toString().stripTrailing());
        }
    }
}

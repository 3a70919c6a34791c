package dev.atelier.server.monitoring;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.atelier.api.AtelierException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of one or more CSV tables read for a drift report: per column, one cell per row read
 * ({@code null} where a row's table lacks the column or the cell is empty). Rows beyond
 * {@value #MAX_ROWS} are not read ({@link #truncated()}). Not thread-safe: one report fills it.
 */
final class TableSample {
    static final int MAX_ROWS = 200_000;
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    /** Decides from a row's cells (by column name) whether the row is read. */
    @FunctionalInterface
    interface RowFilter {
        boolean keep(Map<String, String> cells);
    }

    private final Map<String, List<String>> columns = new LinkedHashMap<>();
    private int rows;
    private boolean truncated;

    /** Reads the rows of a CSV table that {@code filter} keeps; {@code name} names the table in errors. */
    void read(InputStream in, String name, RowFilter filter) throws IOException {
        try (MappingIterator<List<String>> iterator = CSV.readerForListOf(String.class).readValues(in)) {
            if (!iterator.hasNext()) {
                return;
            }
            List<String> header = iterator.next().stream().map(String::trim).toList();
            Map<String, String> cells = new LinkedHashMap<>();
            while (iterator.hasNext()) {
                if (rows >= MAX_ROWS) {
                    truncated = true;
                    return;
                }
                List<String> row = iterator.next();
                cells.clear();
                for (int i = 0; i < header.size(); i++) {
                    String cell = i < row.size() ? row.get(i) : null;
                    cells.put(header.get(i), cell == null || cell.isEmpty() ? null : cell);
                }
                if (filter.keep(cells)) {
                    add(cells);
                }
            }
        } catch (RuntimeJsonMappingException e) {
            throw unreadable(name, e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw unreadable(name, e.getOriginalMessage());
        }
    }

    private static AtelierException unreadable(String name, String why) {
        return AtelierException.invalidParameter("Table " + name + " is not a readable CSV file: " + why);
    }

    private void add(Map<String, String> cells) {
        cells.forEach((column, cell) -> columns.computeIfAbsent(column, key -> new ArrayList<>(Collections.nCopies(rows, null))));
        for (Map.Entry<String, List<String>> column : columns.entrySet()) {
            column.getValue().add(cells.get(column.getKey()));
        }
        rows++;
    }

    int rows() {
        return rows;
    }

    boolean truncated() {
        return truncated;
    }

    Set<String> columnNames() {
        return Collections.unmodifiableSet(columns.keySet());
    }

    /** A column's cells, {@code null} for missing ones. */
    List<String> cells(String column) {
        return columns.getOrDefault(column, Collections.nCopies(rows, null));
    }
}

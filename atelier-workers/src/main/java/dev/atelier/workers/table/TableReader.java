package dev.atelier.workers.table;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a table row by row: the header of its first CSV file, then the rows of every file ({@link TableFiles#csvFiles});
 * each further file must have the same header. A row shorter than the header is padded with missing values; a longer one
 * is refused naming the file and line. Rows are returned as fresh arrays, safe to keep. Not thread-safe; close it.
 */
public final class TableReader implements AutoCloseable {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final List<Path> files;
    private final List<String> columns;
    private final Map<String, Integer> positions = new HashMap<>();
    private int fileIndex;
    private MappingIterator<String[]> rows;
    private BufferedReader reader;
    private long rowNumber;

    private TableReader(List<Path> files) {
        this.files = files;
        open(0);
        if (!rows.hasNext()) {
            close();
            throw new TableException("the table '" + files.get(0) + "' is empty: it has no header row");
        }
        columns = List.of(rows.next());
        for (int i = 0; i < columns.size(); i++) {
            if (positions.putIfAbsent(columns.get(i), i) != null) {
                close();
                throw new TableException("two columns are named '" + columns.get(i) + "' in '" + files.get(0) + "'");
            }
        }
    }

    /** Opens the table at {@code path}: a table folder, a folder of CSV files or one CSV file. */
    public static TableReader open(Path path) {
        return new TableReader(TableFiles.csvFiles(path));
    }

    public List<String> columns() {
        return columns;
    }

    /**
     * The position of {@code column}.
     *
     * @throws TableException naming the column and the table's columns when there is none of that name
     */
    public int indexOf(String column) {
        Integer position = positions.get(column);
        if (position == null) {
            throw new TableException("the table has no column '" + column + "'; its columns: " + String.join(", ", columns));
        }
        return position;
    }

    /** The positions of {@code names}, in their order ({@link #indexOf} for each). */
    public int[] indexesOf(List<String> names) {
        return names.stream().mapToInt(this::indexOf).toArray();
    }

    /** The number of rows returned so far. */
    public long rowNumber() {
        return rowNumber;
    }

    /** The next row, as wide as the header; {@code null} after the last one. */
    public String[] next() {
        try {
            while (!rows.hasNext()) {
                if (fileIndex + 1 >= files.size()) {
                    return null;
                }
                open(fileIndex + 1);
                String[] header = rows.hasNext() ? rows.next() : new String[0];
                if (!Arrays.asList(header).equals(columns)) {
                    throw new TableException("'" + files.get(fileIndex) + "' has the columns " + Arrays.toString(header)
                            + ", unlike '" + files.get(0) + "' " + columns + ": the files of a table share their header");
                }
            }
            String[] row = rows.next();
            rowNumber++;
            if (row.length == columns.size()) {
                return row;
            }
            if (row.length > columns.size()) {
                throw new TableException("row " + rowNumber + " of '" + files.get(fileIndex) + "' has " + row.length
                        + " values for " + columns.size() + " columns");
            }
            String[] padded = Arrays.copyOf(row, columns.size());
            Arrays.fill(padded, row.length, padded.length, "");
            return padded;
        } catch (RuntimeException e) {
            if (e instanceof TableException) {
                throw e;
            }
            throw new TableException("'" + files.get(fileIndex) + "' is not a readable CSV file near row " + rowNumber + ": "
                    + e.getMessage(), e);
        }
    }

    private void open(int index) {
        close();
        fileIndex = index;
        try {
            reader = Files.newBufferedReader(files.get(index), StandardCharsets.UTF_8);
            rows = CSV.readerFor(String[].class).readValues(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.get(index), e);
        }
    }

    @Override
    public void close() {
        try {
            if (rows != null) {
                rows.close();
            }
            if (reader != null) {
                reader.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every row into memory: for operations that need the whole table (training); small tables otherwise. */
    public List<String[]> readAll() {
        List<String[]> all = new ArrayList<>();
        for (String[] row = next(); row != null; row = next()) {
            all.add(row);
        }
        return all;
    }
}

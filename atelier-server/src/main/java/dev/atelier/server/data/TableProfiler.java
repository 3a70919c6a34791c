package dev.atelier.server.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Profiles a table, CSV (a header row, then one row per record; RFC 4180 quoting, parsed by
 * Jackson's CSV module token by token, without data binding) or Parquet ({@link ParquetTable}), in two streaming passes: the first counts rows and gathers per-column
 * statistics and a preview of the first {@value #PREVIEW_ROWS} rows, the second bins numeric
 * columns into histograms. Memory does not grow with the number of rows. A file that does not
 * parse, has no header, or has a row longer than the header is refused with
 * {@code INVALID_PARAMETER_VALUE} naming the line. Thread-safe (no state).
 */
public final class TableProfiler {
    static final int PREVIEW_ROWS = 20;
    private static final CsvFactory CSV = new CsvFactory();

    /** Opens the table's bytes again for each pass. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /** Profiles the table: Parquet when the file name ends with {@code .parquet}, else CSV. */
    public JsonNode profile(String fileName, Source source) throws IOException {
        if (fileName.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return profileParquet(fileName, source);
        }
        List<String> header;
        List<ColumnStatistics> columns = new ArrayList<>();
        ArrayNode previewRows = Json.mapper().createArrayNode();
        long rows = 0;
        try (InputStream in = source.open(); Rows iterator = new Rows(in, fileName)) {
            if (!iterator.next()) {
                throw AtelierException.invalidParameter("Invalid table '" + fileName + "': the CSV file is empty (no header row)");
            }
            header = List.copyOf(iterator.row());
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i) == null || header.get(i).isBlank() ? "column_" + (i + 1) : header.get(i).trim();
                columns.add(new ColumnStatistics(name));
            }
            while (iterator.next()) {
                List<String> row = iterator.row();
                rows++;
                if (row.size() > header.size()) {
                    throw AtelierException.invalidParameter("Invalid table '" + fileName + "': row " + rows + " (line "
                            + iterator.lineNumber() + ") has " + row.size() + " values but the header has "
                            + header.size() + " columns");
                }
                add(columns, row, rows, previewRows);
            }
        }
        if (columns.stream().anyMatch(ColumnStatistics::numeric)) {
            histograms(fileName, source, columns);
        }
        return profile("csv", rows, columns, previewRows);
    }

    /**
     * A Parquet table ({@link ParquetTable}), profiled as a CSV one from its values as text: the same statistics,
     * histograms and preview, with the file's column names.
     */
    private static JsonNode profileParquet(String fileName, Source source) throws IOException {
        try (ParquetTable table = ParquetTable.copyOf(fileName, source)) {
            List<ColumnStatistics> columns = new ArrayList<>();
            table.columns().forEach(name -> columns.add(new ColumnStatistics(name)));
            ArrayNode previewRows = Json.mapper().createArrayNode();
            long[] rows = {0};
            table.forEachRow(row -> add(columns, row, ++rows[0], previewRows));
            if (columns.stream().anyMatch(ColumnStatistics::numeric)) {
                table.forEachRow(row -> {
                    for (int i = 0; i < columns.size(); i++) {
                        if (columns.get(i).numeric()) {
                            columns.get(i).addToHistogram(row.get(i));
                        }
                    }
                });
            }
            return profile("parquet", rows[0], columns, previewRows);
        }
    }

    /** Counts row number {@code rowNumber} (from 1) into the statistics, and into the preview while it is short. */
    private static void add(List<ColumnStatistics> columns, List<String> row, long rowNumber, ArrayNode previewRows) {
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).add(i < row.size() ? row.get(i) : null);
        }
        if (rowNumber <= PREVIEW_ROWS) {
            ArrayNode preview = previewRows.addArray();
            for (int i = 0; i < columns.size(); i++) {
                preview.add(i < row.size() ? row.get(i) : null);
            }
        }
    }

    private static JsonNode profile(String format, long rows, List<ColumnStatistics> columns, ArrayNode previewRows) {
        ObjectNode profile = Json.mapper().createObjectNode();
        profile.put("format", format);
        profile.put("row_count", rows);
        profile.put("column_count", columns.size());
        ArrayNode columnNodes = profile.putArray("columns");
        columns.forEach(column -> columnNodes.add(column.toJson()));
        ObjectNode preview = profile.putObject("preview");
        ArrayNode previewColumns = preview.putArray("columns");
        columns.forEach(column -> previewColumns.add(column.toJson().get("name")));
        preview.set("rows", previewRows);
        return profile;
    }

    private static void histograms(String fileName, Source source, List<ColumnStatistics> columns) throws IOException {
        try (InputStream in = source.open(); Rows iterator = new Rows(in, fileName)) {
            iterator.next();
            while (iterator.next()) {
                List<String> row = iterator.row();
                for (int i = 0; i < columns.size() && i < row.size(); i++) {
                    if (columns.get(i).numeric()) {
                        columns.get(i).addToHistogram(row.get(i));
                    }
                }
            }
        }
    }

    /**
     * A CSV stream's rows, read token by token: {@link #next} moves to the next row, {@link #row} is its cells (a list
     * reused from row to row). Parse errors become a 400 naming the file. Not thread-safe.
     */
    private static final class Rows implements AutoCloseable {
        private final CsvParser parser;
        private final String fileName;
        private final List<String> row = new ArrayList<>();

        Rows(InputStream in, String fileName) throws IOException {
            this.parser = CSV.createParser(in);
            this.fileName = fileName;
        }

        /** Reads the next row; false at the end of the file. */
        boolean next() {
            row.clear();
            try {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return false;
                }
                if (token != JsonToken.START_ARRAY) {
                    throw AtelierException.invalidParameter("Invalid table '" + fileName + "': the file does not parse as CSV at line "
                            + lineNumber());
                }
                for (token = parser.nextToken(); token != JsonToken.END_ARRAY && token != null; token = parser.nextToken()) {
                    row.add(parser.getText());
                }
                return true;
            } catch (JsonProcessingException e) {
                throw AtelierException.invalidParameter("Invalid table '" + fileName + "': the file does not parse as CSV: "
                        + firstLine(e.getMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException("reading table '" + fileName + "' failed", e);
            }
        }

        List<String> row() {
            return row;
        }

        int lineNumber() {
            return parser.currentLocation().getLineNr();
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

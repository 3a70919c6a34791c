package dev.atelier.server.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The rows of one input file of a no-code deployment, read into a caller's {@code double[]}: a CSV file
 * ({@link CsvRows}) or a Parquet file ({@link ParquetRows}), told apart by the file's extension. Not thread-safe.
 */
sealed interface TableRows extends AutoCloseable permits CsvRows, ParquetRows {
    /** Whether the no-code scorer reads this file: a {@code .csv} or {@code .parquet} file. */
    static boolean readable(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".parquet");
    }

    static TableRows open(Path file) throws IOException {
        return parquet(file) ? new ParquetRows(file) : new CsvRows(file);
    }

    /** The rows of a file: its non-empty lines after the header (CSV), or the row count of its footer (Parquet). */
    static long countRows(Path file) throws IOException {
        return parquet(file) ? ParquetRows.countRows(file) : CsvRows.countRows(file);
    }

    private static boolean parquet(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet");
    }

    /** The column names. */
    List<String> header();

    /**
     * Reads up to {@code max} rows, the values of the columns at {@code columns} (positions in the header) into
     * {@code into}, row after row; returns the rows read (fewer at the end of the file). A value that is no number is
     * NaN, and the first is described by {@link #error()}.
     */
    int read(int max, int[] columns, double[] into) throws IOException;

    /** The first bad value of the rows read by the last {@link #read} call, or null. */
    String error();

    /** Skips {@code count} rows (mini-batches a resumed job has finished). */
    void skip(long count) throws IOException;

    @Override
    void close() throws IOException;
}

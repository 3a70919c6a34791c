package dev.atelier.server.batch;

import dev.atelier.api.AtelierException;
import dev.hardwood.InputFile;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.RowReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Parquet file's rows read with hardwood (as the data domain reads Parquet tables), a row at a time, never the whole
 * file: numbers as they are, booleans as 1 and 0, null as NaN; any other value (text, dates, binary) is no number.
 * Uncompressed, Snappy and Zstandard pages are read; a file that does not read as Parquet is refused with
 * INVALID_PARAMETER_VALUE naming it. Not thread-safe.
 */
final class ParquetRows implements TableRows {
    private final Path path;
    private final ParquetFileReader file;
    private final RowReader rows;
    private final List<String> header;
    private long row;
    private String error;

    ParquetRows(Path path) throws IOException {
        this.path = path;
        ParquetFileReader opened = null;
        try {
            opened = ParquetFileReader.open(InputFile.of(path));
            this.rows = opened.rowReader();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < rows.getFieldCount(); i++) {
                names.add(rows.getFieldName(i));
            }
            this.header = List.copyOf(names);
        } catch (IOException | UncheckedIOException | LinkageError e) {
            close(opened);
            throw invalid(path, e);
        } catch (RuntimeException e) {
            close(opened);
            throw e instanceof AtelierException atelier ? atelier : invalid(path, e);
        }
        this.file = opened;
    }

    private static void close(ParquetFileReader reader) throws IOException {
        if (reader != null) {
            reader.close();
        }
    }

    static long countRows(Path path) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(InputFile.of(path))) {
            return reader.getFileMetaData().numRows();
        } catch (IOException | RuntimeException | LinkageError e) {
            throw invalid(path, e);
        }
    }

    private static AtelierException invalid(Path path, Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return AtelierException.invalidParameter("File " + path.getFileName() + " does not read as Parquet: "
                + message.lines().findFirst().orElse(message));
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public int read(int max, int[] columns, double[] into) {
        error = null;
        int read = 0;
        try {
            while (read < max && rows.hasNext()) {
                rows.next();
                int base = read * columns.length;
                for (int i = 0; i < columns.length; i++) {
                    into[base + i] = value(columns[i]);
                }
                read++;
                row++;
            }
        } catch (UncheckedIOException | LinkageError e) {
            throw invalid(path, e);
        }
        return read;
    }

    private double value(int column) {
        if (rows.isNull(column)) {
            return Double.NaN;
        }
        Object value = rows.getValue(column);
        return switch (value) {
            case Number number -> number.doubleValue();
            case Boolean flag -> flag ? 1 : 0;
            default -> {
                if (error == null) {
                    String text = String.valueOf(value instanceof byte[] ? "<binary>" : value);
                    error = "row " + row + ", column '" + header.get(column) + "': '" + text.substring(0, Math.min(40, text.length()))
                            + "' is not a number";
                }
                yield Double.NaN;
            }
        };
    }

    @Override
    public String error() {
        return error;
    }

    @Override
    public void skip(long count) {
        for (long i = 0; i < count && rows.hasNext(); i++) {
            rows.next();
            row++;
        }
    }

    @Override
    public void close() throws IOException {
        rows.close();
        file.close();
    }
}

package dev.atelier.server.data;

import dev.atelier.api.AtelierException;
import dev.hardwood.InputFile;
import dev.hardwood.reader.ParquetFileReader;
import dev.hardwood.reader.RowReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Parquet table read row by row with hardwood (no Hadoop), each value as the text the profiler reads
 * ({@link ColumnStatistics}): numbers and booleans as Java writes them, dates and times in ISO-8601, binary
 * as base64, null as null. Parquet needs random access (its footer is at the end), so the table's bytes are
 * copied once to a temporary file, deleted on {@link #close()}. Uncompressed, Snappy and Zstandard pages are
 * read (hardwood's optional codec libraries snappy-java and zstd-jni are shipped); a file with another codec
 * (LZ4, Brotli, gzip) or that is not Parquet is refused with INVALID_PARAMETER_VALUE. Not thread-safe: one
 * per profiling.
 */
final class ParquetTable implements AutoCloseable {
    private final String fileName;
    private final Path copy;

    private ParquetTable(String fileName, Path copy) {
        this.fileName = fileName;
        this.copy = copy;
    }

    static ParquetTable copyOf(String fileName, TableProfiler.Source source) throws IOException {
        Path copy = Files.createTempFile("atelier-table-", ".parquet");
        try (InputStream in = source.open()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
        return new ParquetTable(fileName, copy);
    }

    /** The column names, in the file's order. */
    List<String> columns() {
        List<String> names = new ArrayList<>();
        read(rows -> {
            for (int i = 0; i < rows.getFieldCount(); i++) {
                names.add(rows.getFieldName(i));
            }
        });
        return names;
    }

    /** Calls {@code row} with each row's values as text, in order. */
    void forEachRow(Consumer<List<String>> row) {
        read(rows -> {
            int count = rows.getFieldCount();
            while (rows.hasNext()) {
                rows.next();
                List<String> values = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    String name = rows.getFieldName(i);
                    values.add(rows.isNull(name) ? null : text(rows.getValue(name)));
                }
                row.accept(values);
            }
        });
    }

    private void read(Consumer<RowReader> body) {
        try (ParquetFileReader reader = ParquetFileReader.open(InputFile.of(copy)); RowReader rowReader = reader.rowReader()) {
            body.accept(rowReader);
        } catch (IOException e) {
            throw invalid(e);
        } catch (UncheckedIOException e) {
            throw invalid(e.getCause());
        } catch (AtelierException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            // hardwood reports a file that is not Parquet, or a codec whose library is missing, this way
            throw invalid(e);
        }
    }

    private AtelierException invalid(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return AtelierException.invalidParameter("Invalid table '" + fileName + "': the file does not read as Parquet: "
                + message.lines().findFirst().orElse(message));
    }

    private static String text(Object value) {
        return switch (value) {
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            default -> String.valueOf(value);
        };
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(copy);
    }
}

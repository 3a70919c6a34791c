package dev.atelier.server.batch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The part files of a batch scoring job's output, below its work folder: one per finished mini-batch, written whole or
 * not at all (a temporary file moved into place), and {@code columns}, the CSV header of the predictions, kept from the
 * first. {@link #assembled} reads the recorded mini-batches' parts in order as one CSV stream, so that the output is
 * written once, where it is registered, and no mini-batch's rows appear twice. Thread-safe (each part has one writer).
 */
final class BatchOutput {
    private final Path parts;

    BatchOutput(Path parts) {
        this.parts = requireNonNull(parts, "parts is null");
    }

    /**
     * Writes a no-code mini-batch's rows, {@code <file>,<row>,<predictions>}, to its part file: each value appended as
     * text from its primitive (no boxing), the whole part encoded once.
     */
    void writeRows(int file, int chunk, String name, long firstRow, int rows, JvmScorer.Prediction prediction, boolean rowsToo)
            throws IOException {
        keepColumns(String.join(",", prediction.names().stream().map(BatchOutput::csv).toList()));
        if (!rowsToo) {
            return;
        }
        String source = csv(name);
        List<JvmScorer.Column> columns = prediction.columns();
        StringBuilder text = new StringBuilder(rows * (source.length() + 12 + 16 * columns.size()));
        for (int row = 0; row < rows; row++) {
            text.append(source).append(',').append(firstRow + row);
            for (JvmScorer.Column column : columns) {
                column.append(text.append(','), row);
            }
            text.append('\n');
        }
        writePart(file, chunk, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a scoring script's rows for a mini-batch; {@code columns} (a CSV header line) is kept from the first. */
    void writeLines(int file, int chunk, String columns, List<String> lines) throws IOException {
        keepColumns(columns);
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        writePart(file, chunk, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void keepColumns(String header) throws IOException {
        Path columns = parts.resolve("columns");
        if (!Files.exists(columns)) {
            Files.createDirectories(parts);
            Path temporary = Files.createTempFile(parts, "columns", ".tmp");
            Files.writeString(temporary, header);
            Files.move(temporary, columns, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void writePart(int file, int chunk, byte[] bytes) throws IOException {
        Files.createDirectories(parts);
        Path temporary = Files.createTempFile(parts, file + "-" + chunk, ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, part(file, chunk), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Path part(int file, int chunk) {
        return parts.resolve(file + "-" + chunk + ".csv");
    }

    /**
     * The output CSV: the header ({@code file,row,} before the predictions' columns when {@code sourceColumns}), then the
     * parts of {@code done} (the recorded, scored mini-batches, in order; a script's mini-batch may have written none),
     * read one after another as the stream is read.
     */
    InputStream assembled(boolean sourceColumns, List<MiniBatchResult> done) throws IOException {
        Path columns = parts.resolve("columns");
        String header = sourceColumns ? "file,row" + (Files.exists(columns) ? "," + Files.readString(columns) : "")
                : Files.exists(columns) ? Files.readString(columns) : "prediction";
        List<Path> files = new ArrayList<>();
        for (MiniBatchResult result : done) {
            Path part = part(result.fileIndex(), result.chunk());
            if (result.done() && (sourceColumns || Files.exists(part))) {
                files.add(part);
            }
        }
        byte[] head = (header + "\n").getBytes(StandardCharsets.UTF_8);
        Iterator<Path> next = files.iterator();
        return new SequenceInputStream(new Enumeration<>() {
            private boolean headerGiven;

            @Override
            public boolean hasMoreElements() {
                return !headerGiven || next.hasNext();
            }

            @Override
            public InputStream nextElement() {
                if (!headerGiven) {
                    headerGiven = true;
                    return new ByteArrayInputStream(head);
                }
                try {
                    return Files.newInputStream(next.next());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    static String csv(String value) {
        return value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 ? value
                : "\"" + value.replace("\"", "\"\"") + "\"";
    }
}

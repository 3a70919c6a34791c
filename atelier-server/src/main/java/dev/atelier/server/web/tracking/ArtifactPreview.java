package dev.atelier.server.web.tracking;

import dev.atelier.server.artifacts.ArtifactContent;
import dev.atelier.server.http.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The inline preview of one artifact: text (with JSON pretty-printed), YAML, CSV as a table, an
 * image, a Jupyter notebook rendered read-only, or nothing for binary files (any UTF-8 text is shown as text).
 * The file's extension picks its {@link Reader}; text reads at most {@link #MAX_BYTES} of the file, a notebook at
 * most {@link #MAX_NOTEBOOK_BYTES} (a larger one is shown as the beginning of its text).
 *
 * @param kind      how the template shows it
 * @param path      the file's path relative to the browsed root
 * @param storedPath the file's path relative to the run's artifact root (for the download link)
 * @param rows      CSV rows, the first being the header (kind CSV only)
 * @param notebook  the notebook's cells (kind NOTEBOOK only)
 */
public record ArtifactPreview(Kind kind, String path, String storedPath, long size, String text, List<List<String>> rows,
                              boolean truncated, Optional<NotebookPreview> notebook) {
    static final int MAX_BYTES = 512 * 1024;
    static final int MAX_NOTEBOOK_BYTES = 16 * 1024 * 1024;
    private static final int MAX_CSV_ROWS = 500;
    private static final Set<String> IMAGES = Set.of("png", "jpg", "jpeg", "gif", "webp", "svg", "bmp");
    private static final Map<String, String> TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg",
            "gif", "image/gif", "webp", "image/webp", "svg", "image/svg+xml", "bmp", "image/bmp", "json", "application/json",
            "csv", "text/csv");

    /** How a preview is shown. */
    public enum Kind { TEXT, JSON, YAML, CSV, IMAGE, NOTEBOOK, BINARY }

    /** Reads one kind of file into its preview; {@link #READERS} picks one by extension, {@link #text} is the rest. */
    @FunctionalInterface
    private interface Reader {
        ArtifactPreview read(String path, String storedPath, ArtifactContent content) throws IOException;
    }

    private static final Map<String, Reader> READERS = readers();

    public ArtifactPreview {
        rows = rows.stream().map(List::copyOf).toList();
        requireNonNull(notebook, "notebook is null");
    }

    static ArtifactPreview of(String path, String storedPath, ArtifactContent content) throws IOException {
        return READERS.getOrDefault(extension(path), ArtifactPreview::text).read(path, storedPath, content);
    }

    private static Map<String, Reader> readers() {
        Map<String, Reader> readers = new HashMap<>();
        IMAGES.forEach(extension -> readers.put(extension, (path, storedPath, content) ->
                new ArtifactPreview(Kind.IMAGE, path, storedPath, content.size(), "", List.of(), false, Optional.empty())));
        readers.put("ipynb", ArtifactPreview::notebook);
        return Map.copyOf(readers);
    }

    /** A notebook rendered cell by cell; one too large to read whole, or not nbformat 4, is shown as text. */
    private static ArtifactPreview notebook(String path, String storedPath, ArtifactContent content) throws IOException {
        if (content.size() > MAX_NOTEBOOK_BYTES) {
            return text(path, storedPath, content);
        }
        byte[] bytes = content.stream().readNBytes(MAX_NOTEBOOK_BYTES);
        Optional<NotebookPreview> notebook = NotebookPreview.parse(new String(bytes, StandardCharsets.UTF_8));
        if (notebook.isEmpty()) {
            return text(path, storedPath, new ArtifactContent(new ByteArrayInputStream(bytes), bytes.length));
        }
        // Read whole: cells left out are the notebook view's to say (NotebookPreview.truncated), not "the beginning of the file".
        return new ArtifactPreview(Kind.NOTEBOOK, path, storedPath, content.size(), "", List.of(), false, notebook);
    }

    private static ArtifactPreview text(String path, String storedPath, ArtifactContent content) throws IOException {
        String extension = extension(path);
        byte[] bytes = content.stream().readNBytes(MAX_BYTES);
        boolean truncated = content.size() > bytes.length;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, truncated ? lastLineEnd(bytes) : bytes.length)).toString();
        } catch (CharacterCodingException e) {
            return new ArtifactPreview(Kind.BINARY, path, storedPath, content.size(), "", List.of(), truncated, Optional.empty());
        }
        if (text.indexOf('\0') >= 0) {
            return new ArtifactPreview(Kind.BINARY, path, storedPath, content.size(), "", List.of(), truncated, Optional.empty());
        }
        return switch (extension) {
            case "json", "ipynb" -> new ArtifactPreview(Kind.JSON, path, storedPath, content.size(), truncated ? text : prettyJson(text),
                    List.of(), truncated, Optional.empty());
            case "yaml", "yml" -> new ArtifactPreview(Kind.YAML, path, storedPath, content.size(), text, List.of(), truncated, Optional.empty());
            case "csv", "tsv" -> new ArtifactPreview(Kind.CSV, path, storedPath, content.size(), "",
                    csv(text, extension.equals("tsv") ? '\t' : ','), truncated, Optional.empty());
            default -> new ArtifactPreview(Kind.TEXT, path, storedPath, content.size(), text, List.of(), truncated, Optional.empty());
        };
    }

    static String mediaType(String path) {
        return TYPES.getOrDefault(extension(path), "application/octet-stream");
    }

    private static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static int lastLineEnd(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return bytes.length;
    }

    private static String prettyJson(String text) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(Json.mapper().readTree(text));
        } catch (IOException e) {
            return text;
        }
    }

    /** RFC 4180 fields: quoted fields may hold separators, quotes (doubled) and line breaks. */
    static List<List<String>> csv(String text, char separator) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length() && rows.size() < MAX_CSV_ROWS; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == separator) {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}

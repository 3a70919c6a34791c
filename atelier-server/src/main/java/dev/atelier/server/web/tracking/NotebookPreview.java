package dev.atelier.server.web.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.http.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A Jupyter notebook (nbformat 4, https://nbformat.readthedocs.io/en/latest/format_description.html) read for
 * a read-only view: markdown and raw cells as their text, code cells with their source and outputs (stream text,
 * {@code text/plain}, {@code image/png} / {@code image/jpeg} as {@code data:} URIs, {@code text/html} as text,
 * errors with ANSI colour codes stripped). Nothing of the notebook is ever HTML to the page: the template escapes
 * every string, and an image is only ever a base64 payload. At most {@link #MAX_CELLS} cells are kept, each text at
 * most {@link #MAX_TEXT_CHARS} characters and each image at most {@link #MAX_IMAGE_CHARS} of base64.
 * Immutable.
 *
 * @param cells      the first cells, in order
 * @param totalCells how many cells the notebook has
 * @param language   the kernel's language, from the notebook's metadata ("" when absent)
 */
public record NotebookPreview(List<Cell> cells, int totalCells, String language) {
    static final int MAX_CELLS = 200;
    static final int MAX_TEXT_CHARS = 20_000;
    static final int MAX_IMAGE_CHARS = 2 * 1024 * 1024;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?|\u001B");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    public NotebookPreview {
        cells = List.copyOf(cells);
        requireNonNull(language, "language is null");
    }

    /** Whether cells were left out. */
    public boolean truncated() {
        return totalCells > cells.size();
    }

    /** What kind of cell; markdown and raw cells are shown as their escaped text. */
    public enum CellType { MARKDOWN, CODE, RAW }

    /** One cell; {@code executionCount} and {@code outputs} only for code cells. */
    public record Cell(CellType type, String source, Optional<Integer> executionCount, List<Output> outputs) {
        public Cell {
            requireNonNull(type, "type is null");
            requireNonNull(source, "source is null");
            requireNonNull(executionCount, "executionCount is null");
            outputs = List.copyOf(outputs);
        }

        /** The prompt shown beside a code cell, as Jupyter shows it: {@code [3]}, or {@code [ ]} when never run. */
        public String prompt() {
            return "[" + executionCount.map(String::valueOf).orElse(" ") + "]";
        }
    }

    /** How an output is shown: as text (with its label), as an image, or as an error. */
    public enum OutputKind { STREAM, TEXT, HTML, IMAGE, ERROR }

    /**
     * One output of a code cell.
     *
     * @param label   the stream's name ({@code stdout}, {@code stderr}), the media type shown, or the error's name
     * @param text    the text shown (an error's value and traceback); empty for images
     * @param dataUri a {@code data:image/...;base64,...} URI (images only), else empty
     */
    public record Output(OutputKind kind, String label, String text, String dataUri, boolean truncated) {
        public Output {
            requireNonNull(kind, "kind is null");
            requireNonNull(label, "label is null");
            requireNonNull(text, "text is null");
            requireNonNull(dataUri, "dataUri is null");
        }
    }

    /**
     * Reads a notebook; empty when the text is not an nbformat 4 notebook (the caller shows it as JSON text then).
     */
    static Optional<NotebookPreview> parse(String text) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(text);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null || !root.path("cells").isArray() || root.path("nbformat").asInt() != 4) {
            return Optional.empty();
        }
        JsonNode cells = root.get("cells");
        List<Cell> kept = new ArrayList<>();
        for (int i = 0; i < cells.size() && i < MAX_CELLS; i++) {
            kept.add(cell(cells.get(i)));
        }
        String language = root.path("metadata").path("kernelspec").path("language")
                .asText(root.path("metadata").path("language_info").path("name").asText(""));
        return Optional.of(new NotebookPreview(kept, cells.size(), language));
    }

    private static Cell cell(JsonNode cell) {
        String source = limit(joined(cell.path("source")));
        return switch (cell.path("cell_type").asText()) {
            case "code" -> {
                List<Output> outputs = new ArrayList<>();
                cell.path("outputs").forEach(output -> output(output).ifPresent(outputs::add));
                JsonNode count = cell.path("execution_count");
                yield new Cell(CellType.CODE, source, count.isInt() ? Optional.of(count.asInt()) : Optional.empty(), outputs);
            }
            case "markdown" -> new Cell(CellType.MARKDOWN, source, Optional.empty(), List.of());
            default -> new Cell(CellType.RAW, source, Optional.empty(), List.of());
        };
    }

    private static Optional<Output> output(JsonNode output) {
        return switch (output.path("output_type").asText()) {
            case "stream" -> Optional.of(text(OutputKind.STREAM, output.path("name").asText("stdout"), joined(output.path("text"))));
            case "execute_result", "display_data" -> data(output.path("data"));
            case "error" -> {
                List<String> lines = new ArrayList<>();
                output.path("traceback").forEach(line -> lines.add(line.asText()));
                String traceback = lines.isEmpty() ? output.path("ename").asText() + ": " + output.path("evalue").asText()
                        : String.join("\n", lines);
                yield Optional.of(text(OutputKind.ERROR, output.path("ename").asText("Error"), traceback));
            }
            default -> Optional.empty();
        };
    }

    /** A rich output: an image when it has one, else its plain text, else its HTML as text. */
    private static Optional<Output> data(JsonNode data) {
        for (String type : List.of("image/png", "image/jpeg")) {
            String base64 = joined(data.path(type)).replaceAll("\\s", "");
            if (!base64.isEmpty()) {
                if (base64.length() > MAX_IMAGE_CHARS || !BASE64.matcher(base64).matches()) {
                    return Optional.of(new Output(OutputKind.IMAGE, type, "Image not shown (too large or not base64).", "", true));
                }
                return Optional.of(new Output(OutputKind.IMAGE, type, "", "data:" + type + ";base64," + base64, false));
            }
        }
        if (data.has("text/plain")) {
            return Optional.of(text(OutputKind.TEXT, "text/plain", joined(data.get("text/plain"))));
        }
        if (data.has("text/html")) {
            return Optional.of(text(OutputKind.HTML, "text/html", joined(data.get("text/html"))));
        }
        return Optional.empty();
    }

    private static Output text(OutputKind kind, String label, String text) {
        String plain = stripAnsi(text);
        return new Output(kind, label, limit(plain), "", plain.length() > MAX_TEXT_CHARS);
    }

    /** nbformat's multiline strings: a string, or a list of strings to concatenate. */
    private static String joined(JsonNode node) {
        if (node.isArray()) {
            StringBuilder text = new StringBuilder();
            node.forEach(part -> text.append(part.asText()));
            return text.toString();
        }
        return node.isValueNode() ? node.asText() : "";
    }

    static String stripAnsi(String text) {
        return ANSI.matcher(text).replaceAll("");
    }

    private static String limit(String text) {
        return text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text;
    }
}

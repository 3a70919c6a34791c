package dev.atelier.server.web.data;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.web.Formats;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the version page shows of a table's profile (the JSON {@code TableProfiler} wrote at
 * registration, docs/data.md): row and column counts, one {@link ColumnView} per column with its
 * histogram as SVG bar geometry computed here, and the preview rows. Values are text, escaped by
 * the template. Immutable.
 */
public record TableProfileView(long rowCount, long columnCount, List<ColumnView> columns, List<String> previewColumns,
                               List<List<String>> previewRows) {
    /** Width and height of a histogram's SVG viewport, in user units. */
    public static final int WIDTH = 160;
    public static final int HEIGHT = 40;

    public TableProfileView {
        columns = List.copyOf(columns);
        previewColumns = List.copyOf(previewColumns);
        previewRows = previewRows.stream().map(List::copyOf).toList();
    }

    /** One column's statistics; numbers are empty for string columns and top values empty for numeric ones. */
    public record ColumnView(String name, String type, long missing, long distinct, Optional<String> min, Optional<String> max,
                             Optional<String> mean, Optional<String> std, List<TopValue> topValues, List<Bar> histogram) {
        public ColumnView {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            topValues = List.copyOf(topValues);
            histogram = List.copyOf(histogram);
        }
    }

    public record TopValue(String value, long count) {
        public TopValue {
            requireNonNull(value, "value is null");
        }
    }

    /** One histogram bin as an SVG rectangle; {@code label} is the bin's range and count (the bar's tooltip). */
    public record Bar(int x, int y, int width, int height, long count, String label) {
        public Bar {
            requireNonNull(label, "label is null");
        }
    }

    /** Reads a stored profile; absent or malformed parts read as empty, never as an error. */
    public static TableProfileView of(JsonNode profile) {
        List<ColumnView> columns = new ArrayList<>();
        for (JsonNode column : profile.path("columns")) {
            columns.add(column(column));
        }
        List<String> previewColumns = new ArrayList<>();
        profile.path("preview").path("columns").forEach(name -> previewColumns.add(name.asText()));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : profile.path("preview").path("rows")) {
            List<String> cells = new ArrayList<>();
            row.forEach(cell -> cells.add(cell.isNull() ? "" : cell.asText()));
            rows.add(cells);
        }
        return new TableProfileView(profile.path("row_count").asLong(), profile.path("column_count").asLong(), columns,
                previewColumns, rows);
    }

    private static ColumnView column(JsonNode column) {
        List<TopValue> top = new ArrayList<>();
        for (JsonNode value : column.path("top_values")) {
            top.add(new TopValue(value.path("value").asText(), value.path("count").asLong()));
        }
        return new ColumnView(column.path("name").asText(), column.path("type").asText("unknown"), column.path("missing").asLong(),
                column.path("distinct_estimate").asLong(), number(column, "min"), number(column, "max"), number(column, "mean"),
                number(column, "std"), top, bars(column.path("histogram")));
    }

    private static Optional<String> number(JsonNode column, String field) {
        JsonNode value = column.get(field);
        return value != null && value.isNumber() ? Optional.of(Formats.number(value.asDouble())) : Optional.empty();
    }

    /** Bars scaled to the largest bin; an empty bin is a 1-unit line so the axis stays visible. */
    static List<Bar> bars(JsonNode histogram) {
        JsonNode counts = histogram.path("counts");
        JsonNode edges = histogram.path("edges");
        int bins = counts.size();
        if (bins == 0) {
            return List.of();
        }
        long largest = 1;
        for (JsonNode count : counts) {
            largest = Math.max(largest, count.asLong());
        }
        int width = WIDTH / bins;
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < bins; i++) {
            long count = counts.get(i).asLong();
            int height = Math.max(1, (int) Math.round((double) count / largest * HEIGHT));
            String range = edges.size() > i + 1
                    ? Formats.number(edges.get(i).asDouble()) + " – " + Formats.number(edges.get(i + 1).asDouble()) + ": " : "";
            bars.add(new Bar(i * width, HEIGHT - height, Math.max(1, width - 1), height, count, range + count));
        }
        return List.copyOf(bars);
    }
}

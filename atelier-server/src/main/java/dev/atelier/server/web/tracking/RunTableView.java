package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.web.PageFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a runs table page shows: one page of runs (children under their parents), the columns, the
 * filter and its error, and the links that sort, page and add or remove columns.
 *
 * @param path the page's URL without query ({@code /experiments/3})
 * @param first the 1-based position of the first row in the whole result
 */
public record RunTableView(PageFrame frame, String title, Optional<Experiment> experiment, String path, TableState state,
                           Optional<String> error, List<Column> columns, List<RunRow> rows, List<String> addableColumns,
                           int first, Optional<String> nextPageToken, Optional<String> previousPageToken) {
    public RunTableView {
        requireNonNull(frame, "frame is null");
        requireNonNull(experiment, "experiment is null");
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        addableColumns = List.copyOf(addableColumns);
    }

    /** A column of the table: an attribute or a chosen metric, param or tag. */
    public record Column(String id, String label, String sortKey, boolean chosen, boolean numeric) {
    }

    /** A row: the run, how deep it is nested under parents on the same page, and its chosen cells. */
    public record RunRow(Run run, int depth, Optional<String> parentRunId, List<String> cells) {
        public RunRow {
            cells = List.copyOf(cells);
        }

        public String name() {
            return run.info().runName() == null || run.info().runName().isEmpty() ? run.info().runId() : run.info().runName();
        }
    }

    private List<String> chosenIds() {
        return columns.stream().filter(Column::chosen).map(Column::id).toList();
    }

    public String url(TableState target) {
        return frame.url(path) + target.query(chosenIds());
    }

    public String sortUrl(Column column) {
        String next = state.order().equals(column.sortKey() + " DESC") ? column.sortKey() + " ASC" : column.sortKey() + " DESC";
        return url(state.withOrder(next));
    }

    /** ▼ or ▲ on the column the table is sorted by (start time by default), else nothing. */
    public String sortMark(Column column) {
        if (state.order().isEmpty()) {
            return column.sortKey().equals("attributes.start_time") ? "▼" : "";
        }
        if (state.order().equals(column.sortKey() + " DESC")) {
            return "▼";
        }
        return state.order().equals(column.sortKey() + " ASC") || state.order().equals(column.sortKey()) ? "▲" : "";
    }

    public boolean sorted(Column column) {
        return !sortMark(column).isEmpty();
    }

    public String removeColumnUrl(Column column) {
        List<String> remaining = new ArrayList<>(chosenIds());
        remaining.remove(column.id());
        return url(state.withColumns(remaining).withPage(""));
    }

    public List<String> chosenColumns() {
        return chosenIds();
    }

    public Optional<String> nextUrl() {
        return nextPageToken.map(token -> url(state.withPage(token)));
    }

    public Optional<String> previousUrl() {
        return previousPageToken.map(token -> url(state.withPage(token)));
    }

    public int last() {
        return first + rows.size() - 1;
    }
}

package dev.atelier.server.web.tracking;

import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.web.PageFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a runs table page shows: one page of runs (children under their parents), the columns, the
 * filter and its error, and the links that sort, page and add or remove columns.
 *
 * @param path the page's URL without query ({@code /experiments/3})
 * @param first the 1-based position of the first row in the whole result
 * @param experimentNames the names of the experiments of the page's runs by id, for the Experiment column of a table
 *                        over several experiments (empty for one experiment's table, which has no such column)
 * @param help how the filter box read what was typed, when it read it otherwise than as written
 * @param now the time the page was made, from which start times are told as "3 min ago"
 */
public record RunTableView(PageFrame frame, String title, Optional<Experiment> experiment, String path, TableState state,
                           Optional<String> error, List<Column> columns, List<RunRow> rows, List<String> addableColumns,
                           int first, Optional<String> nextPageToken, Optional<String> previousPageToken,
                           Map<String, String> experimentNames, FilterHelp.Reading help, long now) {
    public RunTableView {
        requireNonNull(frame, "frame is null");
        requireNonNull(experiment, "experiment is null");
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        addableColumns = List.copyOf(addableColumns);
        experimentNames = Map.copyOf(experimentNames);
        requireNonNull(help, "help is null");
    }

    /** Whether the table has an Experiment column: it shows runs of several experiments ("All runs"). */
    public boolean showsExperiment() {
        return experiment.isEmpty();
    }

    public String experimentName(String experimentId) {
        return experimentNames.getOrDefault(experimentId, experimentId);
    }

    /** A header cell of the row above the column names: a group's label over as many columns as it spans. */
    public record Group(String label, String kind, int span) {
    }

    /**
     * The groups over the columns: one blank group over the box and the run's attributes, then Metrics, Parameters
     * and Tags over the chosen columns of that kind that stand next to each other (in the order they were chosen).
     */
    public List<Group> groups() {
        List<Group> groups = new ArrayList<>();
        int attributes = 1 + (showsExperiment() ? 1 : 0);
        String kind = "";
        int span = 0;
        for (Column column : columns) {
            if (!column.chosen()) {
                attributes++;
                continue;
            }
            String columnKind = column.id().substring(0, column.id().indexOf('.'));
            if (!columnKind.equals(kind) && span > 0) {
                groups.add(new Group(groupLabel(kind), kind, span));
                span = 0;
            }
            kind = columnKind;
            span++;
        }
        if (span > 0) {
            groups.add(new Group(groupLabel(kind), kind, span));
        }
        groups.addFirst(new Group("", "attributes", attributes));
        return groups;
    }

    private static String groupLabel(String kind) {
        return switch (kind) {
            case "metrics" -> "Metrics";
            case "params" -> "Parameters";
            default -> "Tags";
        };
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

    /**
     * The icon of the column the table is sorted by (start time by default): {@code sort-down} descending,
     * {@code sort-up} ascending; empty for the other columns.
     */
    public String sortMark(Column column) {
        if (state.order().isEmpty()) {
            return column.sortKey().equals("attributes.start_time") ? "sort-down" : "";
        }
        if (state.order().equals(column.sortKey() + " DESC")) {
            return "sort-down";
        }
        return state.order().equals(column.sortKey() + " ASC") || state.order().equals(column.sortKey()) ? "sort-up" : "";
    }

    /** The page's URL with {@code filter} in the box instead, from the first page. */
    public String filterUrl(String filter) {
        return url(new TableState(filter, state.order(), state.columns(), state.size(), state.view(), ""));
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

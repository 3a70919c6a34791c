package dev.atelier.server.web.tracking;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.PageToken;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.RunQuery;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.tracking.RunTableView.Column;
import dev.atelier.server.web.tracking.RunTableView.RunRow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Builds a runs table: searches one page of runs through the tracking service (the filter in
 * MLflow's grammar; its errors are shown inline above the table), resolves the chosen columns,
 * and orders the rows so that children follow their parent. Only the runs of the page are read:
 * the columns one can add are the keys those runs have, never the keys of every run.
 */
final class RunTables {
    static final String PARENT_TAG = "mlflow.parentRunId";
    private static final List<Column> ATTRIBUTES = List.of(
            new Column("attributes.run_name", "Run", "attributes.run_name", false, false),
            new Column("attributes.status", "Status", "attributes.status", false, false),
            new Column("attributes.start_time", "Started", "attributes.start_time", false, false),
            new Column("attributes.end_time", "Duration", "attributes.end_time", false, false),
            new Column("attributes.user_id", "User", "attributes.user_id", false, false));

    private RunTables() {
    }

    /**
     * @param experimentNames names by experiment id for the Experiment column of a table over several experiments;
     *                        empty for one experiment's table
     */
    static RunTableView build(TrackingService tracking, String workspace, List<Long> experimentIds, TableState state,
                              PageFrame frame, String title, Optional<Experiment> experiment, String path,
                              Map<String, String> experimentNames) {
        Page<Run> page;
        Optional<String> error = Optional.empty();
        FilterHelp.Reading reading = FilterHelp.read(state.filter());
        if (FilterHelp.hasUnqualifiedKey(reading.filter())) {
            reading = new FilterHelp.Reading(reading.filter(), reading.note(),
                    FilterHelp.qualified(reading.filter(), keyKinds(tracking, workspace, experimentIds, state)));
        }
        int offset = 0;
        try {
            offset = PageToken.decodeOffset(Optional.of(state.pageToken()));
            RunQuery query = new RunQuery(experimentIds, reading.filter(), state.view(),
                    state.order().isEmpty() ? List.of() : List.of(state.order()));
            page = tracking.searchRuns(workspace, query, state.size(), Optional.of(state.pageToken()).filter(t -> !t.isEmpty()));
        } catch (AtelierException e) {
            // A filter the user typed is shown back with its error, not turned into an error page.
            if (e.errorCode() != ErrorCode.INVALID_PARAMETER_VALUE) {
                throw e;
            }
            error = Optional.of(e.getMessage());
            page = new Page<>(List.of(), Optional.empty());
        }
        List<Run> runs = page.items();
        List<String> chosen = state.columns().orElseGet(() -> defaultColumns(runs));
        List<Column> columns = new ArrayList<>(ATTRIBUTES);
        chosen.forEach(id -> columns.add(chosenColumn(id)));
        List<RunRow> rows = nest(runs, chosen);
        Optional<String> previous = offset == 0 ? Optional.empty()
                : Optional.of(offset - state.size() <= 0 ? "" : PageToken.encode(offset - state.size()));
        return new RunTableView(frame, title, experiment, path, state, error, columns, rows, addable(runs, chosen),
                offset + 1, page.nextPageToken(), previous, experimentNames, reading, System.currentTimeMillis());
    }

    /**
     * The kind of each key that the first page of runs (unfiltered) has: {@code metrics}, {@code params} or
     * {@code tags}; a key of several kinds counts as a metric, then a param.
     */
    private static Map<String, String> keyKinds(TrackingService tracking, String workspace, List<Long> experimentIds,
                                                TableState state) {
        List<Run> runs = tracking.searchRuns(workspace, new RunQuery(experimentIds, "", state.view(), List.of()),
                TableState.DEFAULT_SIZE, Optional.empty()).items();
        Map<String, String> kinds = new LinkedHashMap<>();
        runs.forEach(run -> run.data().tags().forEach(tag -> kinds.put(tag.key(), "tags")));
        runs.forEach(run -> run.data().params().forEach(param -> kinds.put(param.key(), "params")));
        runs.forEach(run -> run.data().metrics().forEach(metric -> kinds.put(metric.key(), "metrics")));
        return kinds;
    }

    static Column chosenColumn(String id) {
        int dot = id.indexOf('.');
        String kind = dot < 0 ? "" : id.substring(0, dot);
        String key = dot < 0 ? id : id.substring(dot + 1);
        if (!kind.equals("metrics") && !kind.equals("params") && !kind.equals("tags")) {
            throw AtelierException.invalidParameter("Invalid column '" + id + "': expected metrics.<key>, params.<key> or tags.<key>");
        }
        return new Column(id, key, kind + ".`" + key.replace("`", "") + "`", true, kind.equals("metrics"));
    }

    /** Without a choice: the first four metric keys and three param keys of the page's runs. */
    private static List<String> defaultColumns(List<Run> runs) {
        TreeSet<String> metrics = new TreeSet<>();
        TreeSet<String> params = new TreeSet<>();
        for (Run run : runs) {
            run.data().metrics().forEach(metric -> metrics.add(metric.key()));
            run.data().params().forEach(param -> params.add(param.key()));
        }
        List<String> columns = new ArrayList<>();
        metrics.stream().limit(4).forEach(key -> columns.add("metrics." + key));
        params.stream().limit(3).forEach(key -> columns.add("params." + key));
        return columns;
    }

    private static List<String> addable(List<Run> runs, List<String> chosen) {
        TreeSet<String> keys = new TreeSet<>();
        for (Run run : runs) {
            run.data().metrics().forEach(metric -> keys.add("metrics." + metric.key()));
            run.data().params().forEach(param -> keys.add("params." + param.key()));
            run.data().tags().stream().filter(tag -> !tag.key().startsWith("mlflow.")).forEach(tag -> keys.add("tags." + tag.key()));
        }
        chosen.forEach(keys::remove);
        return List.copyOf(keys);
    }

    static String cell(Run run, String column) {
        int dot = column.indexOf('.');
        String kind = column.substring(0, dot);
        String key = column.substring(dot + 1);
        return switch (kind) {
            case "metrics" -> run.data().metrics().stream().filter(m -> m.key().equals(key)).findFirst()
                    .map(Metric::value).map(Formats::number).orElse("");
            case "params" -> value(run.data().params(), key);
            default -> value(run.data().tags(), key);
        };
    }

    private static String value(List<KeyValue> values, String key) {
        return values.stream().filter(value -> value.key().equals(key)).findFirst().map(KeyValue::value).orElse("");
    }

    static Optional<String> parentOf(Run run) {
        return run.data().tags().stream().filter(tag -> tag.key().equals(PARENT_TAG)).findFirst().map(KeyValue::value);
    }

    /** The page's runs in page order, each followed by its children (and theirs) that are on the same page. */
    private static List<RunRow> nest(List<Run> runs, List<String> chosen) {
        Map<String, Run> byId = new LinkedHashMap<>();
        runs.forEach(run -> byId.put(run.info().runId(), run));
        Map<String, List<Run>> children = new LinkedHashMap<>();
        List<Run> roots = new ArrayList<>();
        for (Run run : runs) {
            Optional<String> parent = parentOf(run).filter(id -> byId.containsKey(id) && !id.equals(run.info().runId()));
            if (parent.isPresent()) {
                children.computeIfAbsent(parent.get(), k -> new ArrayList<>()).add(run);
            } else {
                roots.add(run);
            }
        }
        List<RunRow> rows = new ArrayList<>(runs.size());
        roots.forEach(root -> addWithChildren(rows, root, 0, children, chosen));
        return rows;
    }

    private static void addWithChildren(List<RunRow> rows, Run run, int depth, Map<String, List<Run>> children, List<String> chosen) {
        rows.add(new RunRow(run, depth, parentOf(run), chosen.stream().map(column -> cell(run, column)).toList()));
        if (depth < 8) {
            children.getOrDefault(run.info().runId(), List.of()).forEach(child -> addWithChildren(rows, child, depth + 1, children, chosen));
        }
    }
}

package dev.atelier.server.web.tracking;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.RunQuery;
import dev.atelier.server.tracking.TrackingReads;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * An experiment's Charts view (MLflow's chart view, Azure ML's run charts): each metric overlaid for the runs of the
 * table's filter, or for the runs ticked in the table ({@code runs=}), and a parallel-coordinates plot of their params
 * against a metric. The page is a shell; its one JSON answer ({@code /charts/data}) holds every chart, each history
 * downsampled on the server and read in one query for all runs, so the first chart costs a run search and one read,
 * not a request per run. At most {@link #MAX_RUNS} runs (the first of the table's order) and {@link #MAX_CHARTS}
 * metrics are charted; the points per run shrink as runs grow ({@link #POINT_BUDGET} per chart). Stateless.
 */
public final class ExperimentCharts {
    static final int MAX_RUNS = 100;
    static final int MAX_CHARTS = 24;
    /** Points of one chart over all its runs: 100 runs get 100 points each, 10 runs 1,000. */
    static final int POINT_BUDGET = 10_000;
    private static final int MIN_POINTS = 50;

    private final PortalView view;
    private final TrackingService tracking;
    private final TrackingReads reads;

    ExperimentCharts(PortalView view, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.reads = new TrackingReads(tracking);
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/experiments/{experimentId}/charts", Permission.READ, this::page),
                Route.workspace(GET, "/experiments/{experimentId}/charts/data", Permission.READ, this::data));
    }

    /** What the Charts page shows around the charts that charts.js loads from {@code dataUrl}. */
    public record ChartsView(PageFrame frame, Experiment experiment, TableState state, List<String> ticked, String dataUrl,
                             String tableUrl) {
        public ChartsView {
            requireNonNull(frame, "frame is null");
            ticked = List.copyOf(ticked);
        }
    }

    private void page(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Experiment experiment = tracking.getExperiment(workspace, ctx.pathParam("experimentId"));
        TableState state = TableState.from(ctx);
        List<String> ticked = ticked(ctx);
        PageFrame frame = view.frame(ctx, "experiments", experiment.name() + " · charts",
                Breadcrumb.link("Experiments", PortalView.base(workspace) + "/experiments"),
                Breadcrumb.link(experiment.name(), PortalView.base(workspace) + "/experiments/" + experiment.experimentId()),
                Breadcrumb.here("Charts"));
        String path = "/experiments/" + experiment.experimentId();
        String query = query(state, ticked);
        view.render(ctx, "tracking/charts.jte", new ChartsView(frame, experiment, state, ticked,
                frame.url(path + "/charts/data") + query, frame.url(path) + query(state, List.of())));
    }

    /**
     * {@code {"runs": [{"id", "name", "params": {}, "metrics": {latest}}], "more": bool, "pointsPerRun": n,
     * "charts": [{"key", "series": [{"label", "key", "run", "points": [[step, timestamp, value]]}]}]}}; a filter
     * MLflow's grammar refuses is a 400 naming it.
     */
    private void data(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Experiment experiment = tracking.getExperiment(workspace, ctx.pathParam("experimentId"));
        TableState state = TableState.from(ctx);
        List<String> ticked = ticked(ctx);
        List<Run> runs;
        boolean more;
        if (ticked.isEmpty()) {
            Page<Run> page = tracking.searchRuns(workspace, new RunQuery(List.of(Long.parseLong(experiment.experimentId())),
                    state.filter(), state.view(), state.order().isEmpty() ? List.of() : List.of(state.order())), MAX_RUNS, Optional.empty());
            runs = page.items();
            more = page.nextPageToken().isPresent();
        } else {
            runs = ticked.stream().map(id -> tracking.getRun(workspace, id)).toList();
            more = false;
        }
        TreeSet<String> keys = new TreeSet<>();
        runs.forEach(run -> run.data().metrics().forEach(metric -> keys.add(metric.key())));
        int pointsPerRun = pointsPerRun(runs.size());
        List<Map<String, Object>> charts = new ArrayList<>();
        for (MetricCharts.Overlay overlay : MetricCharts.overlaySeries(reads, workspace, runs, keys.stream().limit(MAX_CHARTS).toList(),
                pointsPerRun)) {
            charts.add(Map.of("key", overlay.key(), "series", overlay.series()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", runs.stream().map(ExperimentCharts::run).toList());
        body.put("more", more);
        body.put("pointsPerRun", pointsPerRun);
        body.put("charts", charts);
        Responses.json(ctx, body);
    }

    static int pointsPerRun(int runs) {
        return Math.max(MIN_POINTS, Math.min(MetricCharts.POINTS, POINT_BUDGET / Math.max(1, runs)));
    }

    private static Map<String, Object> run(Run run) {
        Map<String, String> params = new LinkedHashMap<>();
        run.data().params().forEach(param -> params.put(param.key(), param.value()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : run.data().metrics()) {
            if (Double.isFinite(metric.value())) {
                metrics.put(metric.key(), metric.value());
            }
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", run.info().runId());
        entry.put("name", RunTabs.name(run.info()));
        entry.put("params", params);
        entry.put("metrics", metrics);
        return entry;
    }

    private static List<String> ticked(Context ctx) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(ctx.queryParams("runs")));
        ids.removeIf(String::isBlank);
        if (ids.size() > MAX_RUNS) {
            throw AtelierException.invalidParameter("At most " + MAX_RUNS + " runs can be charted, got " + ids.size() + " in 'runs'");
        }
        return ids;
    }

    private static String query(TableState state, List<String> ticked) {
        StringBuilder query = new StringBuilder("?filter=").append(Formats.query(state.filter()))
                .append("&view=").append(state.view().name());
        if (!state.order().isEmpty()) {
            query.append("&order=").append(Formats.query(state.order()));
        }
        ticked.forEach(id -> query.append("&runs=").append(Formats.query(id)));
        return query.toString();
    }
}

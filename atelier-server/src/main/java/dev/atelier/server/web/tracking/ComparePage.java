package dev.atelier.server.web.tracking;

import dev.atelier.api.AtelierException;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.TrackingReads;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * {@code /compare?runs=a&runs=b...}: runs side by side (attributes, params, metrics and the user's tags, rows whose
 * values differ highlighted, a "differences only" switch), one overlaid chart per metric (every history read in one
 * query), and a scatter of one param or metric against another across the runs. Runs of another workspace are not
 * found (404).
 */
final class ComparePage {
    static final int MAX_RUNS = 20;
    private static final int MAX_CHARTS = 12;
    private static final int POINTS_PER_RUN = 500;

    private final PortalView view;
    private final TrackingService tracking;
    private final TrackingReads reads;

    ComparePage(PortalView view, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.reads = new TrackingReads(tracking);
    }

    List<Route> routes() {
        return List.of(Route.workspace(GET, "/compare", Permission.READ, this::compare));
    }

    private void compare(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(ctx.queryParams("runs")));
        if (ids.isEmpty()) {
            throw AtelierException.invalidParameter("Choose runs to compare: /compare?runs=<run_id>&runs=<run_id>");
        }
        if (ids.size() > MAX_RUNS) {
            throw AtelierException.invalidParameter("At most " + MAX_RUNS + " runs can be compared, got " + ids.size());
        }
        List<Run> runs = ids.stream().map(id -> tracking.getRun(workspace, id)).toList();
        Set<String> metricKeys = new TreeSet<>();
        Set<String> paramKeys = new TreeSet<>();
        Set<String> tagKeys = new TreeSet<>();
        runs.forEach(run -> {
            run.data().metrics().forEach(metric -> metricKeys.add(metric.key()));
            run.data().params().forEach(param -> paramKeys.add(param.key()));
            run.data().tags().stream().filter(tag -> !Formats.systemTag(tag.key())).forEach(tag -> tagKeys.add(tag.key()));
        });
        List<CompareView.Row> rows = new ArrayList<>();
        rows.add(row("Status", "attributes", runs.stream().map(run -> run.info().status().name()).toList()));
        rows.add(row("Started", "attributes", runs.stream().map(run -> Formats.time(run.info().startTime())).toList()));
        rows.add(row("Duration", "attributes", runs.stream().map(run -> Formats.duration(run.info().startTime(), run.info().endTime())).toList()));
        paramKeys.forEach(key -> rows.add(row(key, "params", runs.stream().map(run -> RunTables.cell(run, "params." + key)).toList())));
        metricKeys.forEach(key -> rows.add(row(key, "metrics", runs.stream().map(run -> RunTables.cell(run, "metrics." + key)).toList())));
        tagKeys.forEach(key -> rows.add(row(key, "tags", runs.stream().map(run -> RunTables.cell(run, "tags." + key)).toList())));
        List<MetricCharts.Chart> charts = MetricCharts.overlays(reads, workspace, runs, metricKeys.stream().limit(MAX_CHARTS).toList(),
                POINTS_PER_RUN);
        PageFrame frame = view.frame(ctx, "runs", "Compare runs", Breadcrumb.link("Runs", PortalView.base(workspace) + "/runs"),
                Breadcrumb.here("Compare " + runs.size() + " runs"));
        view.render(ctx, "tracking/compare.jte", new CompareView(frame, runs, rows, charts,
                Scatter.of(runs, List.copyOf(paramKeys), List.copyOf(metricKeys), ctx.queryParam("x"), ctx.queryParam("y"))));
    }

    private static CompareView.Row row(String label, String kind, List<String> values) {
        boolean differs = values.stream().distinct().count() > 1;
        return new CompareView.Row(label, kind, values, differs);
    }
}

package dev.atelier.server.web.tracking;

import dev.atelier.server.artifacts.FileInfo;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Responses;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Metric;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.RunInfo;
import dev.atelier.server.tracking.RunQuery;
import dev.atelier.server.tracking.TrackingReads;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * A run's overview page (status, times, parent and children, tags, params, latest metrics, inputs,
 * one chart per metric with a history, a value tile per metric logged once), the JSON of a zoomed chart, and the run's actions (rename, tag, untag,
 * delete, restore).
 */
public final class RunPages {
    /** Charts drawn on one page; a run with more metrics lists the rest. */
    private static final int MAX_CHARTS = 24;
    private static final int MAX_CHILDREN = 100;

    private final PortalView view;
    private final TrackingService tracking;
    private final TrackingReads reads;

    RunPages(PortalView view, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.reads = new TrackingReads(tracking);
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/runs/{runId}", Permission.READ, this::overview),
                Route.workspace(GET, "/runs/{runId}/metric", Permission.READ, this::metric),
                Route.workspace(GET, "/runs/{runId}/children", Permission.READ, this::children),
                Route.workspace(POST, "/runs/{runId}/rename", Permission.WRITE, this::rename),
                Route.workspace(POST, "/runs/{runId}/tag", Permission.WRITE, this::tag),
                Route.workspace(POST, "/runs/{runId}/untag", Permission.WRITE, this::untag),
                Route.workspace(POST, "/runs/{runId}/delete", Permission.WRITE, this::delete),
                Route.workspace(POST, "/runs/{runId}/restore", Permission.WRITE, this::restore));
    }

    /** The frame of a run's pages: breadcrumbs Experiments / experiment / run. */
    static PageFrame runFrame(PortalView view, Context ctx, Experiment experiment, RunInfo info, String section) {
        String base = PortalView.base(RequestContext.workspace(ctx));
        Breadcrumb runCrumb = section.isEmpty() ? Breadcrumb.here(RunTabs.name(info))
                : Breadcrumb.link(RunTabs.name(info), base + "/runs/" + info.runId());
        List<Breadcrumb> crumbs = new java.util.ArrayList<>(List.of(Breadcrumb.link("Experiments", base + "/experiments"),
                Breadcrumb.link(experiment.name(), base + "/experiments/" + experiment.experimentId()), runCrumb));
        if (!section.isEmpty()) {
            crumbs.add(Breadcrumb.here(section));
        }
        return view.frame(ctx, "experiments", RunTabs.name(info), crumbs.toArray(Breadcrumb[]::new));
    }

    static RunTabs tabs(TrackingService tracking, String workspace, RunInfo info, String active) {
        List<FileInfo> root = tracking.listArtifacts(workspace, info.runId(), "");
        boolean hasCode = root.stream().anyMatch(file -> file.isDir() && file.path().equals(ArtifactPages.CODE_FOLDER));
        return new RunTabs(PortalView.base(workspace) + "/runs/" + info.runId(), active, hasCode, true);
    }

    private void overview(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Run run = tracking.getRun(workspace, ctx.pathParam("runId"));
        RunInfo info = run.info();
        Experiment experiment = tracking.getExperiment(workspace, info.experimentId());
        Optional<RunInfo> parent = RunTables.parentOf(run).flatMap(id -> findRun(workspace, id));
        List<KeyValue> userTags = run.data().tags().stream().filter(tag -> !Formats.systemTag(tag.key())).toList();
        List<KeyValue> systemTags = run.data().tags().stream().filter(tag -> Formats.systemTag(tag.key())).toList();
        String base = PortalView.base(workspace);
        List<String> keys = run.data().metrics().stream().map(Metric::key).sorted().limit(MAX_CHARTS).toList();
        Map<String, List<Metric>> sampled = reads.sampleMetricHistories(workspace, List.of(info.runId()), keys, MetricCharts.POINTS)
                .getOrDefault(info.runId(), Map.of());
        List<MetricCharts.Chart> charts = new ArrayList<>();
        List<Metric> tiles = new ArrayList<>();
        for (String key : keys) {
            List<Metric> points = sampled.getOrDefault(key, List.of());
            if (points.size() > 1) {
                charts.add(MetricCharts.single(base, run, key, points));
            } else {
                points.stream().findFirst().ifPresent(tiles::add);
            }
        }
        PageFrame frame = runFrame(view, ctx, experiment, info, "");
        view.render(ctx, "tracking/run.jte", new RunView(frame, run, experiment, parent, userTags, systemTags, charts, tiles,
                Math.max(0, run.data().metrics().size() - MAX_CHARTS), tabs(tracking, workspace, info, "overview")));
    }

    /**
     * The run's children, as a fragment the run page loads after it is shown: finding them is a
     * tag search over the experiment, which SQLite answers by walking the experiment's runs
     * (~100-300 ms at 100,000 runs), so it stays off the page's own time.
     */
    private void children(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        RunInfo info = tracking.getRunInfo(workspace, ctx.pathParam("runId"));
        List<Run> children = tracking.searchRuns(workspace, new RunQuery(List.of(Long.parseLong(info.experimentId())),
                "tags.`" + RunTables.PARENT_TAG + "` = '" + info.runId() + "'", ViewType.ACTIVE_ONLY, List.of()),
                MAX_CHILDREN, Optional.empty()).items();
        view.render(ctx, "tracking/children.jte", new ChildrenView(PortalView.base(workspace), children));
    }

    /** The child runs fragment: links are built from {@code base}, the workspace's URL prefix. */
    public record ChildrenView(String base, List<Run> children) {
        public ChildrenView {
            children = List.copyOf(children);
        }
    }

    /** A run of this workspace, or empty (a parent id may name a run that is gone or elsewhere). */
    private Optional<RunInfo> findRun(String workspace, String runId) {
        if (!runId.matches("[0-9a-zA-Z]{1,64}")) {
            return Optional.empty();
        }
        List<Run> found = tracking.searchRuns(workspace, new RunQuery(experimentIds(workspace),
                "attributes.run_id = '" + runId + "'", ViewType.ALL, List.of()), 1, Optional.empty()).items();
        return found.stream().findFirst().map(Run::info);
    }

    private List<Long> experimentIds(String workspace) {
        return WorkspaceRuns.experimentIds(tracking, workspace, ViewType.ALL);
    }

    /** {@code {"key": ..., "points": [[step, timestamp, value], ...]}} for a step range of one metric (chart zoom). */
    private void metric(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String key = requiredQuery(ctx, "key");
        Optional<Long> start = longQuery(ctx, "start");
        Optional<Long> end = longQuery(ctx, "end");
        int points = longQuery(ctx, "points").map(Long::intValue).orElse(MetricCharts.POINTS);
        List<Metric> sampled = reads.sampleMetricHistory(workspace, ctx.pathParam("runId"), key, start, end, points);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("points", MetricCharts.rows(sampled));
        Responses.json(ctx, body);
    }

    private void rename(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String runId = ctx.pathParam("runId");
        tracking.updateRun(workspace, runId, Optional.empty(), Optional.empty(), Optional.of(Forms.required(ctx, "name")));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/runs/" + runId);
    }

    private void tag(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String runId = ctx.pathParam("runId");
        String value = ctx.formParam("value");
        KeyValue tag = new KeyValue(Forms.required(ctx, "key"), value == null ? "" : value);
        tracking.logBatch(workspace, runId, List.of(), List.of(), List.of(tag));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/runs/" + runId);
    }

    private void untag(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String runId = ctx.pathParam("runId");
        tracking.deleteTag(workspace, runId, Forms.required(ctx, "key"));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/runs/" + runId);
    }

    private void delete(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String runId = ctx.pathParam("runId");
        tracking.deleteRun(workspace, runId);
        PortalView.redirect(ctx, PortalView.base(workspace) + "/runs/" + runId);
    }

    private void restore(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String runId = ctx.pathParam("runId");
        tracking.restoreRun(workspace, runId);
        PortalView.redirect(ctx, PortalView.base(workspace) + "/runs/" + runId);
    }

    static String requiredQuery(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw dev.atelier.api.AtelierException.invalidParameter("Missing value for required parameter '" + name + "'");
        }
        return value;
    }

    static Optional<Long> longQuery(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw dev.atelier.api.AtelierException.invalidParameter("Invalid value '" + value + "' for parameter '" + name
                    + "': expected an integer");
        }
    }
}

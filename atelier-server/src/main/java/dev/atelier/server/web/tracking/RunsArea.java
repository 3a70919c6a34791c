package dev.atelier.server.web.tracking;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/** Runs: the table of every run of the workspace, each run's pages, its files, the comparison of runs and an experiment's charts. */
public final class RunsArea implements PortalArea {
    private final PortalView view;
    private final TrackingService tracking;
    private final RunPages runPages;
    private final ArtifactPages artifactPages;
    private final ComparePage comparePage;
    private final ExperimentCharts experimentCharts;

    public RunsArea(PortalView view, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.runPages = new RunPages(view, tracking);
        this.artifactPages = new ArtifactPages(view, tracking);
        this.comparePage = new ComparePage(view, tracking);
        this.experimentCharts = new ExperimentCharts(view, tracking);
    }

    @Override
    public NavItem nav() {
        return new NavItem("runs", "Runs", "/runs", 20);
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        routes.add(Route.workspace(GET, "/runs", Permission.READ, this::allRuns));
        routes.addAll(runPages.routes());
        routes.addAll(artifactPages.routes());
        routes.addAll(comparePage.routes());
        routes.addAll(experimentCharts.routes());
        return routes;
    }

    private void allRuns(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "runs", "Runs", Breadcrumb.here("Runs"));
        Map<String, String> experiments = WorkspaceRuns.experimentNames(tracking, workspace, ViewType.ACTIVE_ONLY);
        view.render(ctx, "tracking/runs.jte", RunTables.build(tracking, workspace,
                experiments.keySet().stream().map(Long::parseLong).toList(), TableState.from(ctx), frame, "All runs",
                Optional.empty(), "/runs", experiments));
    }
}

package dev.atelier.server.web;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Route;
import io.javalin.http.Context;

import java.util.List;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * An area whose pages are not built yet: its navigation entry leads to a page that says what the
 * area will hold and where to reach it today (CLI, API). A domain replaces it by registering a
 * {@link PortalArea} with the same id.
 */
public final class PlannedArea implements PortalArea {
    private final NavItem nav;
    private final String summary;
    private final List<String> holds;
    private final String docs;
    private final PortalView view;

    PlannedArea(PortalView view, NavItem nav, String summary, List<String> holds, String docs) {
        this.view = requireNonNull(view, "view is null");
        this.nav = requireNonNull(nav, "nav is null");
        this.summary = requireNonNull(summary, "summary is null");
        this.holds = List.copyOf(holds);
        this.docs = requireNonNull(docs, "docs is null");
    }

    @Override
    public NavItem nav() {
        return nav;
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.workspace(GET, nav.path(), Permission.READ, this::show));
    }

    private void show(Context ctx) {
        PageFrame frame = view.frame(ctx, nav.id(), nav.title(), Breadcrumb.link("Workspace", PortalView.base(
                dev.atelier.server.http.RequestContext.workspace(ctx)) + "/"), Breadcrumb.here(nav.title()));
        view.render(ctx, "planned.jte", new PlannedView(frame, nav.title(), summary, holds, docs));
    }

    /** What a planned area's page shows. */
    public record PlannedView(PageFrame frame, String title, String summary, List<String> holds, String docs) {
        public PlannedView {
            holds = List.copyOf(holds);
        }
    }

    /** The areas of a workspace the portal does not show yet, in navigation order; {@code docs} names how to reach each today. */
    public static List<PortalArea> all(PortalView view) {
        return List.of(
                new PlannedArea(view, new NavItem("models", "Models", "/models", 30),
                        "Registered models and their versions, with aliases, stages, tags and the run each version came from.",
                        List.of("registered models and versions", "aliases and stages", "lineage to the runs that produced them"),
                        "MLflow's model registry API (/api/2.0/mlflow/registered-models/..., any MLflow client): docs/mlflow-compatibility.md"),
                new PlannedArea(view, new NavItem("jobs", "Jobs", "/jobs", 40),
                        "Submitted command, sweep, pipeline and AutoML jobs: their status, logs, outputs and child runs.",
                        List.of("job list and status", "logs and outputs", "sweeps and their trials"),
                        "the atelier CLI and the native API under /api/v1: docs/cli.md"),
                new PlannedArea(view, new NavItem("compute", "Compute", "/compute", 50),
                        "Compute targets: local processes on the server host and Kubernetes namespaces.",
                        List.of("targets and their capacity", "what runs where"),
                        "the atelier CLI and the native API under /api/v1: docs/cli.md"),
                new PlannedArea(view, new NavItem("data", "Data", "/data", 60),
                        "Datastores and versioned data assets (uri_file, uri_folder, table) with schema and profile.",
                        List.of("datastores", "data assets and their versions", "schemas and profiles"),
                        "the atelier CLI and the native API under /api/v1: docs/cli.md"),
                new PlannedArea(view, new NavItem("pipelines", "Pipelines", "/pipelines", 70),
                        "Pipelines of steps bound output to input, their runs, step reuse and cron schedules.",
                        List.of("pipeline graphs", "pipeline runs", "schedules"),
                        "the atelier CLI and the native API under /api/v1: docs/cli.md"),
                new PlannedArea(view, new NavItem("settings", "Settings", "/settings", 90),
                        "The workspace's members and roles, API tokens, secrets and audit log.",
                        List.of("role assignments", "API tokens", "secrets", "audit log"),
                        "atelier users, tokens, access, secrets and audit commands: docs/security.md and docs/cli.md"));
    }
}

package dev.atelier.server.web.tracking;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.ExperimentQuery;
import dev.atelier.server.tracking.KeyValue;
import dev.atelier.server.tracking.Page;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/** Experiments: the list (search, sort, create, rename, delete, restore) and each experiment's runs table. */
public final class ExperimentPages implements PortalArea {
    private static final int PAGE_SIZE = 50;
    private static final Set<String> SORTS = Set.of("name ASC", "name DESC", "creation_time DESC", "creation_time ASC",
            "last_update_time DESC", "last_update_time ASC");

    private final PortalView view;
    private final TrackingService tracking;

    public ExperimentPages(PortalView view, TrackingService tracking) {
        this.view = requireNonNull(view, "view is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("experiments", "Experiments", "/experiments", 10);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/experiments", Permission.READ, this::list),
                Route.workspace(POST, "/experiments", Permission.WRITE, this::create),
                Route.workspace(GET, "/experiments/{experimentId}", Permission.READ, this::runs),
                Route.workspace(POST, "/experiments/{experimentId}/rename", Permission.WRITE, this::rename),
                Route.workspace(POST, "/experiments/{experimentId}/tag", Permission.WRITE, this::tag),
                Route.workspace(POST, "/experiments/{experimentId}/untag", Permission.WRITE, this::untag),
                Route.workspace(POST, "/experiments/{experimentId}/delete", Permission.WRITE, this::delete),
                Route.workspace(POST, "/experiments/{experimentId}/restore", Permission.WRITE, this::restore));
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String search = Optional.ofNullable(ctx.queryParam("q")).orElse("").replaceAll("['\"`%\\\\]", "").trim();
        String sort = Optional.ofNullable(ctx.queryParam("sort")).filter(SORTS::contains).orElse("last_update_time DESC");
        ViewType viewType = ViewType.parse(ctx.queryParam("view"));
        String filter = search.isEmpty() ? "" : "name ILIKE '%" + search + "%'";
        Optional<String> token = Optional.ofNullable(ctx.queryParam("page_token")).filter(t -> !t.isBlank());
        Page<Experiment> page = tracking.searchExperiments(workspace, new ExperimentQuery(filter, viewType, List.of(sort)),
                PAGE_SIZE, token);
        PageFrame frame = view.frame(ctx, "experiments", "Experiments", Breadcrumb.here("Experiments"));
        String query = "?q=" + Formats.query(search) + "&sort=" + Formats.query(sort) + "&view=" + viewType.name();
        view.render(ctx, "tracking/experiments.jte", new ExperimentListView(frame, search, sort, viewType.name(), page.items(),
                page.nextPageToken().map(next -> frame.url("/experiments") + query + "&page_token=" + Formats.query(next)),
                token.isPresent() ? Optional.of(frame.url("/experiments") + query) : Optional.empty()));
    }

    private void create(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Experiment experiment = tracking.createExperiment(workspace, Forms.required(ctx, "name"), Optional.empty(), List.of());
        PortalView.redirect(ctx, PortalView.base(workspace) + "/experiments/" + experiment.experimentId());
    }

    private void runs(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Experiment experiment = tracking.getExperiment(workspace, ctx.pathParam("experimentId"));
        PageFrame frame = view.frame(ctx, "experiments", experiment.name(),
                Breadcrumb.link("Experiments", PortalView.base(workspace) + "/experiments"), Breadcrumb.here(experiment.name()));
        RunTableView table = RunTables.build(tracking, workspace, List.of(Long.parseLong(experiment.experimentId())),
                TableState.from(ctx), frame, experiment.name(), Optional.of(experiment), "/experiments/" + experiment.experimentId(),
                java.util.Map.of());
        view.render(ctx, "tracking/runs.jte", table);
    }

    private void rename(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String id = ctx.pathParam("experimentId");
        tracking.renameExperiment(workspace, id, Forms.required(ctx, "name"));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/experiments/" + id);
    }

    private void tag(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String id = ctx.pathParam("experimentId");
        String value = ctx.formParam("value");
        tracking.setExperimentTag(workspace, id, new KeyValue(Forms.required(ctx, "key"), value == null ? "" : value));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/experiments/" + id);
    }

    private void untag(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String id = ctx.pathParam("experimentId");
        tracking.deleteExperimentTag(workspace, id, Forms.required(ctx, "key"));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/experiments/" + id);
    }

    private void delete(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        tracking.deleteExperiment(workspace, ctx.pathParam("experimentId"));
        PortalView.redirect(ctx, PortalView.base(workspace) + "/experiments");
    }

    private void restore(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String id = ctx.pathParam("experimentId");
        tracking.restoreExperiment(workspace, id);
        PortalView.redirect(ctx, PortalView.base(workspace) + "/experiments/" + id);
    }


    /** What the experiments list shows. */
    public record ExperimentListView(PageFrame frame, String search, String sort, String view, List<Experiment> experiments,
                                     Optional<String> nextUrl, Optional<String> firstUrl) {
        public ExperimentListView {
            experiments = List.copyOf(experiments);
        }

        public List<String> sorts() {
            return List.of("last_update_time DESC", "creation_time DESC", "creation_time ASC", "name ASC", "name DESC",
                    "last_update_time ASC");
        }
    }
}

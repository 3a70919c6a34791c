package dev.atelier.server.web.workspace;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.tracking.Experiment;
import dev.atelier.server.tracking.ExperimentQuery;
import dev.atelier.server.tracking.Run;
import dev.atelier.server.tracking.TrackingReads;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.tracking.TrackingStore;
import dev.atelier.server.tracking.search.ViewType;
import dev.atelier.api.AtelierException;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Forms;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.SearchHit;
import dev.atelier.server.web.tracking.WorkspaceRuns;
import dev.atelier.server.workspace.WorkspaceService;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The workspace's home page (counts, recent runs and experiments, quick links, the workspaces
 * with create and delete for server admins) and the search box's results.
 */
public final class WorkspacePages implements PortalArea {
    private static final int RECENT = 10;
    private static final int RESULTS = 50;
    private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile("[0-9a-f]{32}");

    private final PortalView view;
    private final WorkspaceService workspaces;
    private final TrackingService tracking;
    private final TrackingReads reads;
    private final List<PortalArea> areas;
    private static final java.util.regex.Pattern DOC_FILE = java.util.regex.Pattern.compile("[a-z0-9-]+\\.md");

    /** @param areas the other areas, whose things the search also finds ({@link PortalArea#search}) */
    public WorkspacePages(PortalView view, WorkspaceService workspaces, TrackingService tracking, List<PortalArea> areas) {
        this.view = requireNonNull(view, "view is null");
        this.areas = List.copyOf(areas);
        this.workspaces = requireNonNull(workspaces, "workspaces is null");
        this.tracking = requireNonNull(tracking, "tracking is null");
        this.reads = new TrackingReads(tracking);
    }

    @Override
    public NavItem nav() {
        return new NavItem("home", "Overview", "/", 0);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/", Permission.READ, this::landing),
                Route.workspace(GET, "/search", Permission.READ, this::search),
                Route.workspace(GET, "/docs/{file}", Permission.READ, this::doc),
                Route.server(POST, "/workspaces", Permission.SERVER_ADMIN, this::create),
                Route.server(POST, "/workspaces/{name}/delete", Permission.SERVER_ADMIN, this::delete));
    }

    /** A page of the user documentation (docs/*.md, packed into the server) as its Markdown text. */
    private void doc(Context ctx) {
        String file = ctx.pathParam("file");
        if (!DOC_FILE.matcher(file).matches()) {
            throw AtelierException.notFound("No document '" + file + "'");
        }
        String text;
        try (java.io.InputStream in = WorkspacePages.class.getResourceAsStream("/portal-docs/" + file)) {
            if (in == null) {
                throw AtelierException.notFound("No document '" + file + "'");
            }
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PageFrame frame = view.frame(ctx, "home", "docs/" + file, Breadcrumb.here("docs/" + file));
        view.render(ctx, "workspace/doc.jte", new DocView(frame, file, text));
    }

    /** A documentation page: its file name and Markdown text. */
    public record DocView(PageFrame frame, String file, String text) {
    }

    private void landing(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "home", "Workspace " + workspace);
        List<Experiment> experiments = tracking.searchExperiments(workspace,
                new ExperimentQuery("", ViewType.ACTIVE_ONLY, List.of("last_update_time DESC")), RECENT, Optional.empty()).items();
        long experimentCount = WorkspaceRuns.countExperiments(tracking, workspace);
        TrackingStore.RunCounts runs = reads.countRuns(workspace);
        List<Run> recent = WorkspaceRuns.recent(tracking, workspace, "", List.of("attributes.start_time DESC"), RECENT,
                Optional.empty()).items();
        List<WorkspaceRow> rows = workspaces.list().stream()
                .filter(candidate -> frame.workspaces().contains(candidate.name()))
                .map(candidate -> new WorkspaceRow(candidate.name(), candidate.description(), !candidate.name().equals("default")))
                .toList();
        view.render(ctx, "workspace/landing.jte", new LandingView(frame, experimentCount, runs.active(), runs.running(),
                experiments, recent, rows, view.permitsOnServer(ctx, Permission.SERVER_ADMIN)));
    }

    /**
     * The top bar's search: experiments and runs whose name contains the text, and the things of the other areas
     * (models, data assets, jobs, endpoints) whose name does. An exact run id opens that run.
     */
    private void search(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        // Quotes and wildcards are dropped: the text is matched as a substring, never read as filter syntax.
        String query = Optional.ofNullable(ctx.queryParam("q")).orElse("").replaceAll("['\"`%\\\\]", "").trim();
        PageFrame frame = view.frame(ctx, "home", "Search", Breadcrumb.here("Search"));
        List<Experiment> experiments = List.of();
        List<Run> runs = List.of();
        Map<String, String> experimentNames = Map.of();
        List<SearchHit> others = new ArrayList<>();
        if (!query.isEmpty()) {
            String pattern = "'%" + query + "%'";
            experiments = tracking.searchExperiments(workspace, new ExperimentQuery("name ILIKE " + pattern, ViewType.ACTIVE_ONLY,
                    List.of()), RESULTS, Optional.empty()).items();
            experimentNames = WorkspaceRuns.experimentNames(tracking, workspace, ViewType.ACTIVE_ONLY);
            boolean runId = RUN_ID.matcher(query).matches();
            String runFilter = runId ? "attributes.run_id = '" + query + "'" : "attributes.run_name ILIKE " + pattern;
            runs = WorkspaceRuns.recent(tracking, workspace, runFilter, List.of("attributes.start_time DESC"), RESULTS,
                    Optional.empty()).items();
            if (runId && runs.size() == 1) {
                PortalView.redirect(ctx, PortalView.base(workspace) + "/runs/" + runs.getFirst().info().runId());
                return;
            }
            for (PortalArea area : areas) {
                others.addAll(area.search(workspace, query, RESULTS));
            }
        }
        view.render(ctx, "workspace/search.jte", new SearchView(frame, query, experiments, runs, experimentNames, others));
    }

    private void create(Context ctx) {
        String name = Forms.required(ctx, "name");
        workspaces.create(name, Optional.ofNullable(ctx.formParam("description")).orElse(""), java.util.Map.of());
        PortalView.redirect(ctx, PortalView.base(name) + "/");
    }

    private void delete(Context ctx) {
        workspaces.delete(ctx.pathParam("name"), "true".equals(ctx.formParam("force")));
        PortalView.redirect(ctx, "/");
    }


    /** A workspace in the list on the home page. */
    public record WorkspaceRow(String name, String description, boolean deletable) {
    }

    /** What the home page shows. */
    public record LandingView(PageFrame frame, long experimentCount, long runCount, long runningCount, List<Experiment> experiments,
                              List<Run> recentRuns, List<WorkspaceRow> workspaces, boolean canAdminister) {
        public LandingView {
            experiments = List.copyOf(experiments);
            recentRuns = List.copyOf(recentRuns);
            workspaces = List.copyOf(workspaces);
        }
    }

    /** What the search page shows: experiments, runs (with their experiment's name) and the other areas' things. */
    public record SearchView(PageFrame frame, String query, List<Experiment> experiments, List<Run> runs,
                             Map<String, String> experimentNames, List<SearchHit> others) {
        public SearchView {
            experiments = List.copyOf(experiments);
            runs = List.copyOf(runs);
            experimentNames = Map.copyOf(experimentNames);
            others = List.copyOf(others);
        }

        public String experimentName(String experimentId) {
            return experimentNames.getOrDefault(experimentId, experimentId);
        }

        /** The other areas' things by kind, in the order the areas found them. */
        public Map<String, List<SearchHit>> othersByKind() {
            Map<String, List<SearchHit>> byKind = new java.util.LinkedHashMap<>();
            others.forEach(hit -> byKind.computeIfAbsent(hit.kind(), kind -> new ArrayList<>()).add(hit));
            return byKind;
        }
    }
}

package dev.atelier.server.web.data;

import dev.atelier.server.data.DataLineage;
import dev.atelier.server.data.DataService;
import dev.atelier.server.data.DataVersion;
import dev.atelier.server.data.DatastoreService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.Formats;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.data.DataViews.AssetView;
import dev.atelier.server.web.data.DataViews.DataListView;
import dev.atelier.server.web.data.DataViews.LineageView;
import dev.atelier.server.web.data.DataViews.VersionView;
import dev.atelier.server.web.SearchHit;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The Data area (docs/data.md): the data assets list (search by name, archived toggle, paged), an
 * asset's versions, a version's attributes, table profile, preview and lineage, archive and
 * restore; and the datastores pages ({@link DatastorePages}). Reads through {@link DataService},
 * {@link DatastoreService} and {@link DataLineage}, scoped by the workspace of the URL, so another
 * workspace's asset is not found. Thread-safe.
 */
public final class DataPages implements PortalArea {
    static final int PAGE_SIZE = 50;

    private final PortalView view;
    private final DataService data;
    private final DataLineage lineage;
    private final DatastorePages datastores;

    public DataPages(PortalView view, DataService data, DatastoreService datastores, DataLineage lineage) {
        this.view = requireNonNull(view, "view is null");
        this.data = requireNonNull(data, "data is null");
        this.lineage = requireNonNull(lineage, "lineage is null");
        this.datastores = new DatastorePages(view, datastores, data);
    }

    @Override
    public NavItem nav() {
        return new NavItem("data", "Data", "/data", 60);
    }

    @Override
    public List<Route> routes() {
        List<Route> routes = new ArrayList<>(List.of(
                Route.workspace(GET, "/data", Permission.READ, this::list),
                Route.workspace(GET, "/data/{name}", Permission.READ, this::asset),
                Route.workspace(GET, "/data/{name}/versions/{version}", Permission.READ, this::version),
                Route.workspace(POST, "/data/{name}/versions/{version}/archive", Permission.WRITE, ctx -> archive(ctx, true)),
                Route.workspace(POST, "/data/{name}/versions/{version}/restore", Permission.WRITE, ctx -> archive(ctx, false))));
        routes.addAll(datastores.routes());
        return List.copyOf(routes);
    }

    @Override
    public List<SearchHit> search(String workspace, String text, int limit) {
        return data.list(workspace, false).stream().filter(version -> SearchHit.matches(version.name(), text))
                .sorted(Comparator.comparing(DataVersion::name)).limit(limit)
                .map(version -> new SearchHit("Data asset", version.name(), "/data/" + version.name(),
                        version.type().toString().toLowerCase(Locale.ROOT) + ", v" + version.version()))
                .toList();
    }

    /**
     * {@code ?q=} keeps names containing it (any case), {@code ?archived=true} lists assets whose
     * versions are all archived too, {@code ?page=} (from 0) pages by {@value #PAGE_SIZE}.
     */
    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String search = Optional.ofNullable(ctx.queryParam("q")).orElse("").trim();
        boolean archived = "true".equalsIgnoreCase(ctx.queryParam("archived"));
        int page = pageNumber(ctx.queryParam("page"));
        String needle = search.toLowerCase(Locale.ROOT);
        List<DataVersion> matching = data.list(workspace, archived).stream()
                .filter(version -> version.name().toLowerCase(Locale.ROOT).contains(needle))
                .sorted(Comparator.comparing(DataVersion::name))
                .toList();
        int from = Math.min(matching.size(), page * PAGE_SIZE);
        List<DataVersion> shown = matching.subList(from, Math.min(matching.size(), from + PAGE_SIZE));
        PageFrame frame = view.frame(ctx, "data", "Data", Breadcrumb.here("Data"));
        String query = frame.url("/data") + "?q=" + Formats.query(search) + (archived ? "&archived=true" : "");
        view.render(ctx, "data/list.jte", new DataListView(frame, search, archived, shown,
                from + PAGE_SIZE < matching.size() ? Optional.of(query + "&page=" + (page + 1)) : Optional.empty(),
                page > 0 ? Optional.of(query + "&page=" + (page - 1)) : Optional.empty()));
    }

    private void asset(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        List<DataVersion> versions = data.versions(workspace, name, true).stream()
                .sorted(Comparator.comparingInt(DataVersion::version).reversed()).toList();
        PageFrame frame = view.frame(ctx, "data", name, Breadcrumb.link("Data", PortalView.base(workspace) + "/data"),
                Breadcrumb.here(name));
        view.render(ctx, "data/asset.jte", new AssetView(frame, name, versions));
    }

    private void version(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        DataVersion version = data.get(workspace, ctx.pathParam("name"), ctx.pathParam("version"));
        String base = PortalView.base(workspace);
        PageFrame frame = view.frame(ctx, "data", version.name() + ":" + version.version(),
                Breadcrumb.link("Data", base + "/data"), Breadcrumb.link(version.name(), base + "/data/" + version.name()),
                Breadcrumb.here("version " + version.version()));
        LineageView uses = LineageView.of(lineage.ofVersion(workspace, version.name(), version.version()));
        view.render(ctx, "data/version.jte", new VersionView(frame, version, version.profile().map(TableProfileView::of), uses));
    }

    private void archive(Context ctx, boolean archived) {
        String workspace = RequestContext.workspace(ctx);
        DataVersion version = data.setArchived(workspace, ctx.pathParam("name"), ctx.pathParam("version"), archived);
        PortalView.redirect(ctx, PortalView.base(workspace) + "/data/" + version.name() + "/versions/" + version.version());
    }

    /** A page number from 0; anything else reads as the first page. */
    private static int pageNumber(String value) {
        if (value == null || !value.matches("[0-9]{1,6}")) {
            return 0;
        }
        return Integer.parseInt(value);
    }
}

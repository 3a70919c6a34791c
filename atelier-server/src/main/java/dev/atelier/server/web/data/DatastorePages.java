package dev.atelier.server.web.data;

import dev.atelier.server.data.DataService;
import dev.atelier.server.data.DataVersion;
import dev.atelier.server.data.Datastore;
import dev.atelier.server.data.DatastoreService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.data.DataViews.DatastoreListView;
import dev.atelier.server.web.data.DataViews.DatastoreRow;
import dev.atelier.server.web.data.DataViews.DatastoreView;
import io.javalin.http.Context;

import java.util.Comparator;
import java.util.List;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * The datastores pages of the Data area: the list (type, location, default marker) and one
 * datastore with the data assets on it. Credentials are never shown. Thread-safe.
 */
final class DatastorePages {
    private final PortalView view;
    private final DatastoreService datastores;
    private final DataService data;

    DatastorePages(PortalView view, DatastoreService datastores, DataService data) {
        this.view = requireNonNull(view, "view is null");
        this.datastores = requireNonNull(datastores, "datastores is null");
        this.data = requireNonNull(data, "data is null");
    }

    List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/datastores", Permission.READ, this::list),
                Route.workspace(GET, "/datastores/{name}", Permission.READ, this::show));
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        PageFrame frame = view.frame(ctx, "data", "Datastores", Breadcrumb.link("Data", PortalView.base(workspace) + "/data"),
                Breadcrumb.here("Datastores"));
        view.render(ctx, "data/datastores.jte", new DatastoreListView(frame,
                datastores.list(workspace).stream().map(DatastoreRow::of).toList()));
    }

    private void show(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Datastore datastore = datastores.get(workspace, ctx.pathParam("name"));
        String base = PortalView.base(workspace);
        PageFrame frame = view.frame(ctx, "data", datastore.name(), Breadcrumb.link("Data", base + "/data"),
                Breadcrumb.link("Datastores", base + "/datastores"), Breadcrumb.here(datastore.name()));
        List<DataVersion> assets = data.list(workspace, true).stream()
                .filter(version -> version.datastore().equals(datastore.name()))
                .sorted(Comparator.comparing(DataVersion::name)).toList();
        view.render(ctx, "data/datastore.jte", new DatastoreView(frame, DatastoreRow.of(datastore), assets));
    }
}

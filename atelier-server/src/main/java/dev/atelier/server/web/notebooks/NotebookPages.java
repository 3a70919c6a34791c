package dev.atelier.server.web.notebooks;

import dev.atelier.server.http.Permission;
import dev.atelier.server.http.Principal;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.notebooks.ComputeInstance;
import dev.atelier.server.notebooks.NotebookService;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static java.util.Objects.requireNonNull;

/**
 * The Notebooks area: the user's compute instances (all of them for MANAGE_COMPUTE) with their state and idle time left,
 * start and stop (portal forms with the CSRF token), "Open" in a new tab for the owner, and the user's files. The
 * actions live under {@code /compute-instances/...}, never under {@code /notebooks/<name>/...}, which is the proxy's.
 */
public final class NotebookPages implements PortalArea {
    private final PortalView view;
    private final NotebookService notebooks;

    public NotebookPages(PortalView view, NotebookService notebooks) {
        this.view = requireNonNull(view, "view is null");
        this.notebooks = requireNonNull(notebooks, "notebooks is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("notebooks", "Notebooks", "/notebooks", 55);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/notebooks", Permission.READ, this::list),
                Route.workspace(POST, "/compute-instances/{name}/start", Permission.WRITE, ctx -> act(ctx, true)),
                Route.workspace(POST, "/compute-instances/{name}/stop", Permission.WRITE, ctx -> act(ctx, false)));
    }

    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Principal user = RequestContext.principal(ctx);
        PageFrame frame = view.frame(ctx, "notebooks", "Notebooks", Breadcrumb.here("Notebooks"));
        List<InstanceRow> rows = notebooks.list(workspace, user).stream()
                .map(instance -> new InstanceRow(instance, notebooks.idleMinutesLeft(instance), instance.owner().equals(user.username())))
                .toList();
        view.render(ctx, "notebooks/notebooks.jte", new NotebooksView(frame, rows, notebooks.ownerFiles().list(workspace, user.username()),
                view.permits(ctx, Permission.WRITE)));
    }

    private void act(Context ctx, boolean start) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        if (start) {
            notebooks.start(workspace, name, RequestContext.principal(ctx));
        } else {
            notebooks.stop(workspace, name, RequestContext.principal(ctx));
        }
        PortalView.redirect(ctx, PortalView.base(workspace) + "/notebooks");
    }

    /** One instance on the page; {@code mine}: the user owns it (only then may it be opened). */
    public record InstanceRow(ComputeInstance instance, Optional<Long> idleMinutesLeft, boolean mine) {
    }

    /** The page: the instances, the user's files, and whether the user may start and stop ({@code WRITE}). */
    public record NotebooksView(PageFrame frame, List<InstanceRow> instances, List<String> files, boolean canAct) {
        public NotebooksView {
            instances = List.copyOf(instances);
            files = List.copyOf(files);
        }
    }
}

package dev.atelier.server.web.designer;

import dev.atelier.server.designer.Draft;
import dev.atelier.server.designer.DesignerService;
import dev.atelier.server.designer.DraftSummary;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.web.Breadcrumb;
import dev.atelier.server.web.NavItem;
import dev.atelier.server.web.PageFrame;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalView;
import io.javalin.http.Context;

import java.util.List;
import java.util.Optional;

import static io.javalin.http.HandlerType.GET;
import static java.util.Objects.requireNonNull;

/**
 * The Designer area (docs/designer.md): the workspace's drafts, and the editor of one (designer.js draws it and talks to
 * {@code /api/v1/designer} and the jobs and components APIs). The pages only read; every change goes through the API,
 * whose routes check WRITE (and ownership). A user without WRITE, or another user's draft, opens read-only. Thread-safe.
 */
public final class DesignerPages implements PortalArea {
    private final PortalView view;
    private final DesignerService designer;

    public DesignerPages(PortalView view, DesignerService designer) {
        this.view = requireNonNull(view, "view is null");
        this.designer = requireNonNull(designer, "designer is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("designer", "Designer", "/designer", 72);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/designer", Permission.READ, this::list),
                Route.workspace(GET, "/designer/{id}", Permission.READ, this::editor));
    }

    private void list(Context ctx) {
        PageFrame frame = view.frame(ctx, "designer", "Designer", Breadcrumb.here("Designer"));
        view.render(ctx, "designer/list.jte", new DraftListView(frame, designer.list(RequestContext.workspace(ctx))));
    }

    /** {@code ?version=} opens an older version (read-only: a save starts from the newest). */
    private void editor(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        Optional<Integer> version = Optional.ofNullable(ctx.queryParam("version")).filter(v -> v.matches("[0-9]{1,9}"))
                .map(Integer::valueOf);
        Draft draft = designer.get(workspace, ctx.pathParam("id"), version);
        PageFrame frame = view.frame(ctx, "designer", draft.name(), Breadcrumb.link("Designer", PortalView.base(workspace) + "/designer"),
                Breadcrumb.here(draft.name()));
        boolean editable = frame.canWrite() && draft.owner().equals(frame.user()) && draft.version() == draft.latestVersion();
        view.render(ctx, "designer/editor.jte", new EditorView(frame, draft, editable));
    }

    public record DraftListView(PageFrame frame, List<DraftSummary> drafts) {
        public DraftListView {
            drafts = List.copyOf(drafts);
        }
    }

    /** @param editable whether the user may save and submit (WRITE, their own draft, its newest version) */
    public record EditorView(PageFrame frame, Draft draft, boolean editable) {
    }
}

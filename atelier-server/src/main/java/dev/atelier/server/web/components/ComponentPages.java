package dev.atelier.server.web.components;

import dev.atelier.server.components.Component;
import dev.atelier.server.components.ComponentService;
import dev.atelier.server.http.Permission;
import dev.atelier.server.http.RequestContext;
import dev.atelier.server.http.Route;
import dev.atelier.server.snapshots.Snapshot;
import dev.atelier.server.snapshots.SnapshotService;
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
 * The Components area (docs/components.md): the list of registered components (latest version of each, archived ones on
 * request) and a component's page (one version's inputs, outputs, command, code snapshot and environment, and the list of
 * its versions). Read-only: components are registered with the CLI or the API. Thread-safe.
 */
public final class ComponentPages implements PortalArea {
    private final PortalView view;
    private final ComponentService components;
    private final SnapshotService snapshots;

    public ComponentPages(PortalView view, ComponentService components, SnapshotService snapshots) {
        this.view = requireNonNull(view, "view is null");
        this.components = requireNonNull(components, "components is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
    }

    @Override
    public NavItem nav() {
        return new NavItem("components", "Components", "/components", 65);
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.workspace(GET, "/components", Permission.READ, this::list),
                Route.workspace(GET, "/components/{name}", Permission.READ, this::show));
    }

    /** {@code ?archived=true} lists archived components and versions too. */
    private void list(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        boolean archived = "true".equalsIgnoreCase(ctx.queryParam("archived"));
        PageFrame frame = view.frame(ctx, "components", "Components", Breadcrumb.here("Components"));
        view.render(ctx, "components/list.jte", new ComponentListView(frame, archived, components.list(workspace, archived)));
    }

    /** {@code ?version=} shows that version; the latest not archived otherwise. */
    private void show(Context ctx) {
        String workspace = RequestContext.workspace(ctx);
        String name = ctx.pathParam("name");
        Optional<String> version = Optional.ofNullable(ctx.queryParam("version")).filter(v -> !v.isBlank());
        Component component = components.get(workspace, name, version);
        List<Component> versions = components.versions(workspace, name);
        Optional<Snapshot> snapshot = component.spec().codeSnapshot().flatMap(id -> snapshots.find(workspace, id));
        PageFrame frame = view.frame(ctx, "components", component.reference(),
                Breadcrumb.link("Components", PortalView.base(workspace) + "/components"), Breadcrumb.here(component.reference()));
        view.render(ctx, "components/component.jte", new ComponentView(frame, component, versions, snapshot,
                component.spec().environment().flatMap(ComponentPages::environmentLink).map(frame::url)));
    }

    /** {@code /environments/<name>?version=<v>} of a pinned reference such as {@code azureml:train_env:3}. */
    static Optional<String> environmentLink(String reference) {
        String bare = reference.startsWith("azureml:") ? reference.substring("azureml:".length()) : reference;
        int colon = bare.lastIndexOf(':');
        if (colon <= 0 || colon == bare.length() - 1) {
            return Optional.empty();
        }
        return Optional.of("/environments/" + bare.substring(0, colon) + "?version=" + bare.substring(colon + 1));
    }

    /** The latest version of each component; {@code archived} when archived ones are listed too. */
    public record ComponentListView(PageFrame frame, boolean archived, List<Component> components) {
        public ComponentListView {
            components = List.copyOf(components);
        }
    }

    /**
     * One version of a component, every version of it, its code snapshot (when the workspace still has it) and the page of
     * its environment version.
     */
    public record ComponentView(PageFrame frame, Component component, List<Component> versions, Optional<Snapshot> snapshot,
                                Optional<String> environmentUrl) {
        public ComponentView {
            versions = List.copyOf(versions);
        }
    }
}

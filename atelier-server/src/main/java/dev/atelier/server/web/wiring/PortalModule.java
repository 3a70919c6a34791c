package dev.atelier.server.web.wiring;

import dev.atelier.server.http.Authorizer;
import dev.atelier.server.http.RouteTable;
import dev.atelier.server.tracking.TrackingService;
import dev.atelier.server.web.LoginPage;
import dev.atelier.server.web.Portal;
import dev.atelier.server.web.PortalArea;
import dev.atelier.server.web.PortalErrorPage;
import dev.atelier.server.web.PortalView;
import dev.atelier.server.web.tracking.ExperimentPages;
import dev.atelier.server.web.tracking.RunsArea;
import dev.atelier.server.web.workspace.WorkspacePages;
import dev.atelier.server.workspace.WorkspaceService;
import dev.atelier.server.workspace.WorkspaceVisibility;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Wires the portal for the composition root: the frame (view, login, error pages), the areas built
 * so far, and the planned areas. A domain adds its pages by passing its {@link PortalArea}s in
 * {@code extraAreas} (docs/portal.md).
 */
public final class PortalModule {
    private PortalModule() {
    }

    /**
     * @param extraAreas factories of other domains' areas, given the shared view
     */
    public static RouteTable create(WorkspaceService workspaces, WorkspaceVisibility visibility, Authorizer authorizer,
                                    boolean authEnabled, TrackingService tracking,
                                    List<Function<PortalView, PortalArea>> extraAreas) {
        PortalView view = new PortalView(workspaces, visibility, authorizer);
        List<PortalArea> others = extraAreas.stream().map(factory -> factory.apply(view)).toList();
        List<PortalArea> areas = new ArrayList<>();
        areas.add(new WorkspacePages(view, workspaces, tracking, others));
        areas.add(new ExperimentPages(view, tracking));
        areas.add(new RunsArea(view, tracking));
        areas.addAll(others);
        List<dev.atelier.server.http.Route> frameRoutes = new ArrayList<>(new LoginPage(view, authEnabled).routes());
        return new Portal(view, areas, frameRoutes, new PortalErrorPage(view));
    }
}

package dev.atelier.server.web;

import dev.atelier.server.http.Route;

import java.util.List;

/**
 * One area of the portal (Experiments, Models, Jobs...): its entry in the left navigation and its
 * pages. A domain implements it in its own {@code web.<domain>} package and registers it with
 * {@code web.wiring.PortalModule}; an area whose {@link NavItem#id()} matches a planned area replaces it.
 *
 * <p>Routes are ordinary {@link Route}s, normally {@code Route.workspace(GET, "/models", Permission.READ, ...)}:
 * served at the path for the default workspace and under {@code /w/{workspace}} for the others,
 * checked by the same authorizer as the API (pages need READ, actions WRITE). Their errors render
 * as HTML pages, and an unauthenticated browser is sent to the login page.
 */
public interface PortalArea {
    /** The navigation entry; areas are listed by {@link NavItem#order()}. */
    NavItem nav();

    /** The area's pages and actions; handlers render with {@link PortalView}. */
    List<Route> routes();

    /**
     * What this area finds for the top bar's search: at most {@code limit} things of {@code workspace} whose name
     * contains {@code text} (ignoring case; {@link SearchHit#matches}). None unless the area overrides it. The search
     * page needs READ in the workspace, as every area's pages do.
     */
    default List<SearchHit> search(String workspace, String text, int limit) {
        return List.of();
    }
}

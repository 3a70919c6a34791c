package dev.atelier.server.web;

import dev.atelier.server.http.ErrorPage;
import dev.atelier.server.http.RequestBody;
import dev.atelier.server.http.Route;
import dev.atelier.server.http.RouteTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The portal as one route table: the pages of every {@link PortalArea}, with HTML error pages.
 * Areas are keyed by their navigation id; a later area with the id of an earlier one (a planned
 * placeholder) replaces it.
 */
public final class Portal implements RouteTable {
    private final List<Route> routes;
    private final ErrorPage errorPage;

    public Portal(PortalView view, List<PortalArea> areas, List<Route> extraRoutes, ErrorPage errorPage) {
        requireNonNull(view, "view is null");
        Map<String, PortalArea> byId = new LinkedHashMap<>();
        areas.forEach(area -> byId.put(area.nav().id(), area));
        view.navigation(byId.values().stream().map(PortalArea::nav).toList());
        List<Route> all = new ArrayList<>(extraRoutes);
        byId.values().forEach(area -> all.addAll(area.routes()));
        // The portal's pages take HTML forms (and their scripts' requests), read by their handlers.
        this.routes = all.stream().map(route -> route.withBody(RequestBody.OTHER)).toList();
        this.errorPage = requireNonNull(errorPage, "errorPage is null");
    }

    @Override
    public List<Route> routes() {
        return routes;
    }

    @Override
    public Optional<ErrorPage> errorPage() {
        return Optional.of(errorPage);
    }
}

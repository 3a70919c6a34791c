package dev.atelier.server.http;

import java.util.List;
import java.util.Optional;

/** A domain's HTTP routes, listed as data. */
public interface RouteTable {
    List<Route> routes();

    /** Its WebSocket routes, authorized at the upgrade as its HTTP routes are ({@link WebSocketRoute}). */
    default List<WebSocketRoute> webSockets() {
        return List.of();
    }

    /** How errors of these routes are written; empty for API JSON ({@code {"error_code", "message"}}). */
    default Optional<ErrorPage> errorPage() {
        return Optional.empty();
    }
}

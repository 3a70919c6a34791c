package dev.atelier.server.http;

import io.javalin.websocket.WsConfig;

import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A WebSocket route: the upgrade request is authenticated and authorized as an HTTP {@code GET} of {@code path} with
 * {@code permission} (and, when {@code workspaceScoped}, the workspace checked) before the socket opens; the
 * handlers read the caller with {@link RequestContext#principal(io.javalin.websocket.WsContext)}.
 */
public record WebSocketRoute(String path, Permission permission, boolean workspaceScoped, Consumer<WsConfig> handler) {
    public WebSocketRoute {
        requireNonNull(path, "path is null");
        requireNonNull(permission, "permission is null");
        requireNonNull(handler, "handler is null");
    }
}

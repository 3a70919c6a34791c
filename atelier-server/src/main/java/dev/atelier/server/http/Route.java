package dev.atelier.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a route table: method, path template, required permission and handler.
 *
 * @param workspaceScoped when true the route is served at {@code path} for the default workspace
 *                        and at {@code /w/{workspace}path} for every other one
 */
public record Route(HandlerType method, String path, Permission permission, boolean workspaceScoped, Handler handler) {
    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(permission, "permission is null");
        requireNonNull(handler, "handler is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
    }

    public static Route workspace(HandlerType method, String path, Permission permission, Handler handler) {
        return new Route(method, path, permission, true, handler);
    }

    public static Route server(HandlerType method, String path, Permission permission, Handler handler) {
        return new Route(method, path, permission, false, handler);
    }
}

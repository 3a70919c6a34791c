package dev.atelier.server.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a route table: method, path template, required permission and handler.
 *
 * @param workspaceScoped when true the route is served at {@code path} for the default workspace
 *                        and at {@code /w/{workspace}path} for every other one
 * @param escalation      a stronger permission the route needs for some requests (see {@link Escalation}); the
 *                        authorization filter asks {@link #permissionFor(Context)}
 */
public record Route(HandlerType method, String path, Permission permission, boolean workspaceScoped, Handler handler,
                    Optional<Escalation> escalation) {
    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(permission, "permission is null");
        requireNonNull(handler, "handler is null");
        requireNonNull(escalation, "escalation is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
    }

    public Route(HandlerType method, String path, Permission permission, boolean workspaceScoped, Handler handler) {
        this(method, path, permission, workspaceScoped, handler, Optional.empty());
    }

    /**
     * A request of one route that asks for more than the route's own permission covers, such as a PATCH
     * of a compute target that changes where it connects. {@code applies} reads the request (its
     * parsed body is kept for the handler, {@link ApiRequest#from}); a malformed body is refused (400) by whichever reads it first.
     *
     * @param when what the requests that need {@code permission} do, for docs and messages
     */
    public record Escalation(Permission permission, String when, Predicate<Context> applies) {
        public Escalation {
            requireNonNull(permission, "permission is null");
            requireNonNull(when, "when is null");
            requireNonNull(applies, "applies is null");
        }
    }

    /** This route, needing {@code stronger} for the requests {@code applies} picks. */
    public Route escalatedTo(Permission stronger, String when, Predicate<Context> applies) {
        return new Route(method, path, permission, workspaceScoped, handler, Optional.of(new Escalation(stronger, when, applies)));
    }

    /** The permission this request needs: the route's own, or its escalation's when that applies. */
    public Permission permissionFor(Context ctx) {
        return escalation.filter(rule -> rule.applies().test(ctx)).map(Escalation::permission).orElse(permission);
    }

    public static Route workspace(HandlerType method, String path, Permission permission, Handler handler) {
        return new Route(method, path, permission, true, handler);
    }

    public static Route server(HandlerType method, String path, Permission permission, Handler handler) {
        return new Route(method, path, permission, false, handler);
    }
}

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
 * @param body            what its requests' bodies are ({@link RequestBody}); JSON unless the route says otherwise
 * @param maxBodyBytes    the largest JSON body it takes; a larger one is refused before it is parsed
 */
public record Route(HandlerType method, String path, Permission permission, boolean workspaceScoped, Handler handler,
                    Optional<Escalation> escalation, RequestBody body, int maxBodyBytes) {
    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(permission, "permission is null");
        requireNonNull(handler, "handler is null");
        requireNonNull(escalation, "escalation is null");
        requireNonNull(body, "body is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
    }

    public Route(HandlerType method, String path, Permission permission, boolean workspaceScoped, Handler handler) {
        this(method, path, permission, workspaceScoped, handler, Optional.empty(), RequestBody.JSON, ApiRequest.MAX_JSON_BODY_BYTES);
    }

    /** This route, whose bodies are {@code kind}. */
    public Route withBody(RequestBody kind) {
        return new Route(method, path, permission, workspaceScoped, handler, escalation, kind, maxBodyBytes);
    }

    /** This route, taking JSON bodies of at most {@code bytes} (413 PAYLOAD_TOO_LARGE above). */
    public Route withBodyLimit(int bytes) {
        return new Route(method, path, permission, workspaceScoped, handler, escalation, body, bytes);
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
        return new Route(method, path, permission, workspaceScoped, handler, Optional.of(new Escalation(stronger, when, applies)),
                body, maxBodyBytes);
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

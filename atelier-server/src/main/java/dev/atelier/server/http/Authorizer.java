package dev.atelier.server.http;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * Authenticates and authorizes every request before its handler runs; implemented by the auth
 * domain. Throws {@code UNAUTHENTICATED} (401) for missing or bad credentials and
 * {@code PERMISSION_DENIED} (403) when the principal lacks the route's permission.
 */
@FunctionalInterface
public interface Authorizer {
    /** Lets every request through as {@link Principal#LOCAL}: a server without authentication. */
    Authorizer ALLOW_ALL = (ctx, route, workspace) -> Principal.LOCAL;

    /**
     * @param workspace the workspace a workspace-scoped route addresses; empty for server routes
     * @return the principal the request runs as
     */
    Principal authorize(Context ctx, Route route, Optional<String> workspace);

    /**
     * Whether {@code principal} holds {@code permission} in {@code workspace} (empty: outside
     * workspaces), without a request: the portal asks it to show only the actions a user may take.
     */
    default boolean permits(Principal principal, Permission permission, Optional<String> workspace) {
        return true;
    }
}

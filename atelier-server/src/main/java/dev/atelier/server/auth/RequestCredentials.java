package dev.atelier.server.auth;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * What a request's credentials were, beyond its {@link dev.atelier.server.http.Principal}, for
 * handlers outside this package that act on the caller's own account (the portal's token page): a
 * token created with a token must inherit its limits, as {@code POST /api/v1/tokens} does.
 */
public final class RequestCredentials {
    private RequestCredentials() {
    }

    /**
     * The API token the request came with; empty for sessions and passwords. Only for requests that
     * passed the authorizer on a non-public route with authentication on.
     */
    public static Optional<ApiToken> token(Context ctx) {
        return Authentication.of(ctx).token();
    }
}

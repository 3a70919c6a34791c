package dev.atelier.server.auth;

import dev.atelier.server.http.Principal;
import io.javalin.http.Context;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the credentials of a request established: the principal, the user behind it, and the token
 * or session it came with. Kept on the request for the auth routes (logout needs the session,
 * creating a token with a token inherits its limits).
 */
record Authentication(Principal principal, User user, Optional<ApiToken> token, Optional<String> sessionSecret) {
    private static final String ATTRIBUTE = "atelier.auth.authentication";

    Authentication {
        requireNonNull(principal, "principal is null");
        requireNonNull(user, "user is null");
        requireNonNull(token, "token is null");
        requireNonNull(sessionSecret, "sessionSecret is null");
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** The authentication of a request that passed the authorizer (routes other than PUBLIC ones). */
    static Authentication of(Context ctx) {
        Authentication authentication = ctx.attribute(ATTRIBUTE);
        if (authentication == null) {
            throw new IllegalStateException("request was not authenticated: " + ctx.path());
        }
        return authentication;
    }
}

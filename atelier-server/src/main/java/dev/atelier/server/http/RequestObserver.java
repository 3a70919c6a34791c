package dev.atelier.server.http;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * Hears the outcome of every request after authorization (the audit log implements it).
 * Called on the request's thread after the handler finished or failed; must not throw.
 */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (ctx, route, workspace, principal, outcome, status) -> { };

    void requestCompleted(Context ctx, Route route, Optional<String> workspace, Optional<Principal> principal,
                          Outcome outcome, int status);

    /** What became of a request. */
    enum Outcome {
        /** Authorized and answered with a status below 400. */
        ALLOWED,
        /** Refused by authentication or authorization (401, 403). */
        DENIED,
        /** Authorized but failed (4xx other than 401/403, or 5xx). */
        FAILED
    }
}

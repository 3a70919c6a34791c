package dev.atelier.server.http;

import dev.atelier.api.ErrorCode;
import io.javalin.http.Context;

/**
 * Writes the errors of a route table's routes in a form other than API JSON: the portal renders
 * HTML pages and sends unauthenticated browsers to its login page. Called on the request's thread
 * by the one place that maps exceptions ({@link HttpServer}); must not throw.
 */
@FunctionalInterface
public interface ErrorPage {
    /** Writes the error and returns true, or returns false to have it written as API JSON (a client that wants no HTML). */
    boolean write(Context ctx, ErrorCode code, String message);
}

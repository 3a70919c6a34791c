package dev.atelier.server.web;

import dev.atelier.api.AtelierException;
import io.javalin.http.Context;

/** Reading the fields of a portal form (htmx posts them form-encoded). */
public final class Forms {
    private Forms() {
    }

    /** A field that must be present and not blank, trimmed; INVALID_PARAMETER_VALUE naming it otherwise. */
    public static String required(Context ctx, String field) {
        String value = ctx.formParam(field);
        if (value == null || value.isBlank()) {
            throw AtelierException.invalidParameter("Missing value for required parameter '" + field + "'");
        }
        return value.trim();
    }
}

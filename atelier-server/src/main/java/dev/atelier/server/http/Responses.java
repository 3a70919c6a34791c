package dev.atelier.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;

/**
 * Writes API responses: JSON with {@code Content-Type: application/json}. The length is left to the
 * server: it sends a Content-Length for a body it does not compress, and compresses bodies over
 * 1,500 bytes for clients that accept gzip (Python's requests does), whose length only it knows.
 */
public final class Responses {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private Responses() {
    }

    public static void json(Context ctx, Object body) {
        try {
            write(ctx, 200, Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
    }

    /** The answer MLflow gives to a successful call with nothing to return: {@code {}}. */
    public static void empty(Context ctx) {
        write(ctx, 200, EMPTY_OBJECT);
    }

    /** Set on every response Atelier wrote, so that the fallback 404/405 handlers leave it alone. */
    static final String WRITTEN_ATTRIBUTE = "atelier.written";

    /** Marks a response its handler wrote itself (a proxied answer): the fallback 404/405 handlers leave it alone. */
    public static void markWritten(Context ctx) {
        ctx.attribute(WRITTEN_ATTRIBUTE, Boolean.TRUE);
    }

    /** Writes a body serialized by the caller (hot paths that write JSON by hand). */
    public static void rawJson(Context ctx, byte[] body) {
        write(ctx, 200, body);
    }

    /** Writes a body as it is, with its own status and content type (the scoring routes' answers). */
    public static void raw(Context ctx, int status, String contentType, byte[] body) {
        ctx.attribute(WRITTEN_ATTRIBUTE, Boolean.TRUE);
        ctx.status(status);
        ctx.contentType(contentType);
        ctx.result(body);
    }

    static void write(Context ctx, int status, byte[] body) {
        ctx.attribute(WRITTEN_ATTRIBUTE, Boolean.TRUE);
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body);
    }
}

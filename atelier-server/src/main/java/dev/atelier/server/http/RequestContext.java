package dev.atelier.server.http;

import io.javalin.http.Context;

/** Per-request values the HTTP layer resolves before a handler runs. */
public final class RequestContext {
    static final String WORKSPACE_ATTRIBUTE = "atelier.workspace";

    private RequestContext() {
    }

    /** The workspace the request addresses: from {@code /w/{workspace}/...}, else {@code default}. */
    public static String workspace(Context ctx) {
        String workspace = ctx.attribute(WORKSPACE_ATTRIBUTE);
        if (workspace == null) {
            throw new IllegalStateException("route is not workspace-scoped: " + ctx.path());
        }
        return workspace;
    }
}

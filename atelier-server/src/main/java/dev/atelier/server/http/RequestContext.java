package dev.atelier.server.http;

import io.javalin.http.Context;

/** Per-request values the HTTP layer resolves before a handler runs. */
public final class RequestContext {
    static final String WORKSPACE_ATTRIBUTE = "atelier.workspace";
    static final String PRINCIPAL_ATTRIBUTE = "atelier.principal";
    /** When the server began handling the request, in nanoseconds since the epoch (a span's start). */
    public static final String STARTED_AT_ATTRIBUTE = "atelier.startedAtNanos";
    private static final String CSRF_TOKEN_ATTRIBUTE = "atelier.csrfToken";
    private static final String CLIENT_ADDRESS_ATTRIBUTE = "atelier.clientAddress";
    private static final String TRACEPARENT_ATTRIBUTE = "atelier.traceparent";

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

    /** Who sent the request, as the authorization filter established it. */
    public static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL_ATTRIBUTE);
        if (principal == null) {
            throw new IllegalStateException("no principal on " + ctx.path());
        }
        return principal;
    }

    /** The workspace a WebSocket's upgrade request addressed ({@link WebSocketRoute}). */
    public static String workspace(io.javalin.websocket.WsContext ctx) {
        String workspace = ctx.attribute(WORKSPACE_ATTRIBUTE);
        if (workspace == null) {
            throw new IllegalStateException("socket is not workspace-scoped");
        }
        return workspace;
    }

    /** Who opened a WebSocket, as the authorization of its upgrade request established it. */
    public static Principal principal(io.javalin.websocket.WsContext ctx) {
        Principal principal = ctx.attribute(PRINCIPAL_ATTRIBUTE);
        if (principal == null) {
            throw new IllegalStateException("no principal on a socket");
        }
        return principal;
    }

    /**
     * Records who sent the request as soon as the credentials are verified, before the permission
     * check: a request then refused with 403 is still attributed to its sender in the audit log.
     */
    public static void authenticated(Context ctx, Principal principal) {
        ctx.attribute(PRINCIPAL_ATTRIBUTE, principal);
    }

    /**
     * The CSRF token of a request authenticated by the portal's session cookie, or of the local user
     * without auth: the value its portal changes must send in {@code X-CSRF-Token}. Empty for other
     * credentials (API tokens, HTTP Basic).
     */
    public static java.util.Optional<String> csrfToken(Context ctx) {
        return java.util.Optional.ofNullable(ctx.attribute(CSRF_TOKEN_ATTRIBUTE));
    }

    /** Set by the authorizer for session-authenticated requests, and by the HTTP layer for the local user. */
    public static void csrfToken(Context ctx, String token) {
        ctx.attribute(CSRF_TOKEN_ATTRIBUTE, token);
    }

    /**
     * The client's address: as the authorizer resolved it behind {@code --trusted-proxies}
     * ({@link TrustedProxies}), else the TCP peer.
     */
    public static String clientAddress(Context ctx) {
        String resolved = ctx.attribute(CLIENT_ADDRESS_ATTRIBUTE);
        return resolved != null ? resolved : ctx.ip();
    }

    /** Set by the authorizer before anything reads the client address. */
    public static void clientAddress(Context ctx, String address) {
        ctx.attribute(CLIENT_ADDRESS_ATTRIBUTE, address);
    }

    /**
     * This server's span of the request (W3C {@code traceparent}): the caller's trace continued, or a new one. Set
     * before any route runs; a request that never reached the HTTP layer's filters gets a new trace.
     */
    public static Traceparent traceparent(Context ctx) {
        Traceparent trace = ctx.attribute(TRACEPARENT_ATTRIBUTE);
        if (trace == null) {
            trace = Traceparent.continueOrStart(ctx.header(Traceparent.HEADER));
            ctx.attribute(TRACEPARENT_ATTRIBUTE, trace);
        }
        return trace;
    }
}

package dev.atelier.server.http;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The CSRF token of the single local user of a server without authentication: 256 random bits
 * drawn when the server starts, written into every portal page ({@code hx-headers}) and required in
 * {@code X-CSRF-Token} on every portal request that changes something, as a session's token is with
 * {@code --auth}. A page of another origin cannot read it (the Host allowlist and the same-origin
 * policy keep the portal's pages from it). A restart draws a new one: pages open from before must be
 * reloaded. Immutable and thread-safe.
 */
record LocalCsrfToken(String value) {
    static final String HEADER = "X-CSRF-Token";

    static LocalCsrfToken generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new LocalCsrfToken(HexFormat.of().formatHex(bytes));
    }

    /**
     * On a portal route: a change (any method but GET, HEAD, OPTIONS) must carry the request's CSRF
     * token, the local user's or the session's. Requests authenticated otherwise with {@code --auth}
     * (an API token, HTTP Basic) have none and are left to the Origin check.
     *
     * @throws AtelierException PERMISSION_DENIED when the header is missing or wrong
     */
    static void requireOnPortalChange(Context ctx) {
        HandlerType method = ctx.method();
        if (method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS) {
            return;
        }
        Optional<String> expected = RequestContext.csrfToken(ctx);
        if (expected.isEmpty()) {
            return;
        }
        String sent = ctx.header(HEADER);
        if (sent == null || !MessageDigest.isEqual(expected.get().getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
            throw new AtelierException(ErrorCode.PERMISSION_DENIED, "Missing or wrong " + HEADER + " header: portal forms send the "
                    + "token of the page they are on; reload the page (the server may have restarted) and try again");
        }
    }
}

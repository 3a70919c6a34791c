package dev.atelier.server.http;

import io.javalin.http.Context;

import java.util.Locale;

/**
 * The headers every answer carries so that a browser shows the portal only as itself
 * (docs/security.md, "Browser-origin protection"): a Content-Security-Policy without inline
 * script (the portal's code is in /static and /webjars; inline {@code style} attributes are
 * allowed), no framing ({@code frame-ancestors 'none'}, {@code X-Frame-Options: DENY}), no
 * MIME sniffing, referrers only to this origin, and HSTS when the request came over TLS
 * (directly or {@code X-Forwarded-Proto: https}, as the session cookie decides {@code Secure}).
 * API clients ignore them; an artifact downloaded as HTML is confined by them too.
 */
public final class SecurityHeaders {
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    static void write(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        if (overTls(ctx)) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
    }

    /** Whether the request came over HTTPS, directly or through a proxy that says so in {@code X-Forwarded-Proto}. */
    public static boolean overTls(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return "https".equalsIgnoreCase(ctx.scheme())
                || (forwarded != null && forwarded.strip().toLowerCase(Locale.ROOT).startsWith("https"));
    }
}

package dev.atelier.server.auth;

import io.javalin.http.Context;

import java.time.Duration;

/**
 * The {@code Set-Cookie} header of the portal session: {@code HttpOnly; SameSite=Strict; Path=/},
 * plus {@code Secure} when the request came over HTTPS, directly or through a proxy that says so in
 * {@code X-Forwarded-Proto}.
 */
final class SessionCookie {
    private SessionCookie() {
    }

    static String set(String secret, Duration lifetime, boolean secure) {
        return SessionService.COOKIE + "=" + secret + "; Path=/; Max-Age=" + lifetime.toSeconds() + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    static String clear(boolean secure) {
        return SessionService.COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    static boolean secure(Context ctx) {
        String forwarded = ctx.header("X-Forwarded-Proto");
        return "https".equalsIgnoreCase(ctx.scheme()) || (forwarded != null && forwarded.trim().toLowerCase(java.util.Locale.ROOT)
                .startsWith("https"));
    }
}

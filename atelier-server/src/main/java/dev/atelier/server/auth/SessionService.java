package dev.atelier.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Portal sessions: a random secret in the {@code atelier_session} cookie, kept in the database as
 * SHA-256 (so every replica knows it) and valid for {@link #LIFETIME}. The CSRF token is derived from
 * the secret, so it needs no storage and cannot be computed from the database. Thread-safe.
 */
public final class SessionService {
    public static final String COOKIE = "atelier_session";
    public static final Duration LIFETIME = Duration.ofHours(12);

    private final AuthStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SessionService(AuthStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Starts a session and returns its secret (the cookie value). */
    String start(String username) {
        long now = clock.millis();
        store.deleteExpiredSessions(now);
        String secret = Secrets.randomText(random, 32);
        store.createSession(hash(secret), username, now, now + LIFETIME.toMillis());
        return secret;
    }

    /** The user of an unexpired session; 401 otherwise. */
    String user(String secret) {
        return store.sessionUser(hash(secret), clock.millis())
                .orElseThrow(() -> UserService.unauthenticated("The session has expired or ended; log in again"));
    }

    void end(String secret) {
        store.deleteSession(hash(secret));
    }

    static String hash(String secret) {
        return Secrets.sha256Hex(secret);
    }

    /** The value a cookie-authenticated change must send in {@code X-CSRF-Token}. */
    static String csrfToken(String secret) {
        return Secrets.sha256Hex("csrf:" + secret);
    }
}

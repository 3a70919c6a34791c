package dev.atelier.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Remembers successful password verifications for a few minutes, so that an MLflow client sending
 * HTTP Basic on every call costs one Argon2id hash, not one per request. Keys are SHA-256 of
 * user name and password (the password itself is never kept); each entry also remembers the hash it
 * was verified against, so a password changed by another server replica misses the cache here too.
 * Thread-safe.
 */
final class VerifiedPasswords {
    static final Duration TIME_TO_LIVE = Duration.ofMinutes(5);
    private static final int MAX_ENTRIES = 10_000;

    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedPasswords(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Whether this password of this user was verified against {@code passwordHash} recently. */
    boolean contains(String username, String password, String passwordHash) {
        Entry entry = entries.get(key(username, password));
        return entry != null && entry.expiresAt > clock.millis() && entry.passwordHash.equals(passwordHash)
                && entry.username.equals(username);
    }

    void add(String username, String password, String passwordHash) {
        long now = clock.millis();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(entry -> entry.expiresAt <= now);
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(key(username, password), new Entry(username, passwordHash, now + TIME_TO_LIVE.toMillis()));
    }

    /** Forgets every entry of a user: on password change, reset and disable. */
    void forget(String username) {
        entries.values().removeIf(entry -> entry.username.equals(username));
    }

    private static String key(String username, String password) {
        return Secrets.sha256Hex(username + '\u0000' + password);
    }

    private record Entry(String username, String passwordHash, long expiresAt) {
    }
}

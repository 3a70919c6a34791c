package dev.atelier.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Slows down password guessing without letting a stranger lock anyone out (docs/security.md,
 * "Abuse limits"). Failed password checks count against three keys, each with its own {@link Limit}:
 * <ul>
 *   <li>the user name from this client address ({@link #PAIR}): guessing one account;</li>
 *   <li>the client address across names ({@link #ADDRESS}): password spraying;</li>
 *   <li>the account from every address ({@link #ACCOUNT}): only at a much higher count, for a short
 *       time, so that failures from other addresses cannot keep a user locked out.</li>
 * </ul>
 * A key over its limit within the window is locked; a pair's lock doubles while the guessing goes on,
 * up to a ceiling. Memory is bounded: keys hold a SHA-256 of the user name (never the name), an entry
 * is a few numbers, entries are dropped once their window and lock have passed, and there are at most
 * {@link #MAX_KEYS}. Counts live in memory, per server process. Thread-safe.
 */
final class LoginThrottle {
    /** How many failures within how long lock a key, for how long at first and at most. */
    record Limit(String prefix, int maxFailures, Duration window, Duration firstLock, Duration maxLock) {
        Limit {
            requireNonNull(prefix, "prefix is null");
            requireNonNull(window, "window is null");
            requireNonNull(firstLock, "firstLock is null");
            requireNonNull(maxLock, "maxLock is null");
        }
    }

    static final Limit PAIR = new Limit("pair:", 5, Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofMinutes(15));
    static final Limit ADDRESS = new Limit("address:", 30, Duration.ofMinutes(15), Duration.ofMinutes(15), Duration.ofMinutes(15));
    static final Limit ACCOUNT = new Limit("account:", 100, Duration.ofMinutes(15), Duration.ofMinutes(5), Duration.ofMinutes(5));
    /** At most this many keys (about 200 bytes each); when full of locked keys, new keys are not counted. */
    static final int MAX_KEYS = 50_000;
    private static final long SWEEP_INTERVAL_MILLIS = Duration.ofMinutes(1).toMillis();

    private final Clock clock;
    private final Map<String, Attempts> keys = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    LoginThrottle(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How long a login of {@code username} from {@code address} stays refused; empty when it may be tried. */
    Optional<Duration> lockedFor(String username, String address) {
        long now = clock.millis();
        long remaining = 0;
        for (String key : keys(username, address)) {
            Attempts attempts = keys.get(key);
            if (attempts != null) {
                remaining = Math.max(remaining, attempts.lockedUntil() - now);
            }
        }
        return remaining > 0 ? Optional.of(Duration.ofMillis(remaining)) : Optional.empty();
    }

    void failed(String username, String address) {
        long now = clock.millis();
        sweep(now);
        String[] keys = keys(username, address);
        Limit[] limits = {PAIR, ADDRESS, ACCOUNT};
        for (int i = 0; i < keys.length; i++) {
            Attempts attempts = this.keys.get(keys[i]);
            if (attempts == null && this.keys.size() < MAX_KEYS) {
                attempts = this.keys.computeIfAbsent(keys[i], key -> new Attempts());
            }
            if (attempts != null) {
                attempts.failed(limits[i], now);
            }
        }
    }

    /** Forgets the failures of this user from this address after a successful login. */
    void succeeded(String username, String address) {
        keys.remove(keys(username, address)[0]);
    }

    /** How many keys are kept (tests check memory does not grow with user names). */
    int size() {
        return keys.size();
    }

    /** The characters of every kept key (tests check a long user name is not kept). */
    long keyCharacters() {
        return keys.keySet().stream().mapToLong(String::length).sum();
    }

    /** Drops entries whose window and lock have passed, at most once a minute unless the map is full. */
    private void sweep(long now) {
        if (now - lastSweep < SWEEP_INTERVAL_MILLIS && keys.size() < MAX_KEYS) {
            return;
        }
        lastSweep = now;
        keys.values().removeIf(attempts -> attempts.expired(now));
        if (keys.size() >= MAX_KEYS) {
            keys.values().removeIf(attempts -> attempts.lockedUntil() <= now);
        }
    }

    private static String[] keys(String username, String address) {
        String user = Secrets.sha256Hex(username);
        return new String[] {PAIR.prefix() + user + "@" + address, ADDRESS.prefix() + address, ACCOUNT.prefix() + user};
    }

    /** Failures in the current window and the lock of one key; guarded by its own monitor. */
    private static final class Attempts {
        private long windowStart;
        private int failures;
        private long lockedUntil;
        private int locks;
        private long forgetAt;

        synchronized long lockedUntil() {
            return lockedUntil;
        }

        synchronized boolean expired(long now) {
            return now >= forgetAt;
        }

        synchronized void failed(Limit limit, long now) {
            if (now < lockedUntil) {
                return;
            }
            long window = limit.window().toMillis();
            if (now - windowStart >= window) {
                windowStart = now;
                failures = 0;
            }
            failures++;
            if (failures >= limit.maxFailures()) {
                // A lock soon after the last one doubles; a quiet window starts again from the first lock.
                locks = now - lockedUntil > window ? 1 : locks + 1;
                long lock = Math.min(limit.maxLock().toMillis(), limit.firstLock().toMillis() << Math.min(locks - 1, 20));
                lockedUntil = now + lock;
                failures = 0;
                windowStart = now;
            }
            forgetAt = Math.max(windowStart + window, lockedUntil + window);
        }
    }
}

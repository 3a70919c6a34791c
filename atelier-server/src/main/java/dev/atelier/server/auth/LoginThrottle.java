package dev.atelier.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Slows down password guessing: after {@value #MAX_FAILURES} failed password checks for one key (a
 * user name or a client address) within {@link #WINDOW}, the key is locked for {@link #FIRST_LOCK},
 * twice as long on each further lock while the failures continue. Counts live in memory, per
 * server process. Thread-safe.
 */
final class LoginThrottle {
    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration FIRST_LOCK = Duration.ofMinutes(1);
    /** More keys than this and entries without a current lock are dropped, so junk names cannot fill the heap. */
    private static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final Map<String, Attempts> keys = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** How long the first locked key among {@code keys} stays locked; empty when none is. */
    Optional<Duration> lockedFor(String... keys) {
        long now = clock.millis();
        for (String key : keys) {
            Attempts attempts = this.keys.get(key);
            if (attempts != null) {
                long remaining = attempts.lockedUntil(now);
                if (remaining > 0) {
                    return Optional.of(Duration.ofMillis(remaining));
                }
            }
        }
        return Optional.empty();
    }

    void failed(String... keys) {
        long now = clock.millis();
        if (this.keys.size() > MAX_KEYS) {
            this.keys.values().removeIf(attempts -> attempts.lockedUntil(now) <= 0);
        }
        for (String key : keys) {
            this.keys.computeIfAbsent(key, k -> new Attempts()).failed(now);
        }
    }

    /** Forgets the failures of a user name after a successful login (a client address keeps its count). */
    void succeeded(String key) {
        keys.remove(key);
    }

    /** Failures and locks of one key; guarded by its own monitor. */
    private static final class Attempts {
        private final Deque<Long> failures = new ArrayDeque<>();
        private long lockedUntil;
        private long lastLockEnd;
        private int locks;

        synchronized long lockedUntil(long now) {
            return lockedUntil - now;
        }

        synchronized void failed(long now) {
            if (now < lockedUntil) {
                return;
            }
            while (!failures.isEmpty() && failures.peekFirst() <= now - WINDOW.toMillis()) {
                failures.removeFirst();
            }
            failures.addLast(now);
            if (failures.size() >= MAX_FAILURES) {
                locks = now - lastLockEnd > WINDOW.toMillis() ? 1 : locks + 1;
                lockedUntil = now + FIRST_LOCK.toMillis() * (1L << Math.min(locks - 1, 16));
                lastLockEnd = lockedUntil;
                failures.clear();
            }
        }
    }
}

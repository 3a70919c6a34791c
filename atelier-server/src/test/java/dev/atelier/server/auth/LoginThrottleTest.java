package dev.atelier.server.auth;

import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.atelier.server.auth.SecuredServer.basic;
import static org.assertj.core.api.Assertions.assertThat;

/** Password guessing is throttled per user name and per client address. */
class LoginThrottleTest {
    @Test
    void theSixthBadLoginIsRefusedWith429EvenWithTheRightPassword() {
        try (SecuredServer server = SecuredServer.start()) {
            server.createUser("guessed-user", "guessed-password", false);
            for (int attempt = 1; attempt <= 5; attempt++) {
                assertThat(server.call("POST", "/api/v1/auth/login", Map.of("username", "guessed-user",
                        "password", "guess-" + attempt), null).status()).as("attempt %d", attempt).isEqualTo(401);
            }
            HttpJson.Response sixth = server.call("POST", "/api/v1/auth/login", Map.of("username", "guessed-user",
                    "password", "guessed-password"), null);
            assertThat(sixth.status()).isEqualTo(429);
            assertThat(sixth.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
            // HTTP Basic password checks count and are refused alike; tokens are not throttled.
            assertThat(server.call("GET", "/api/v1/auth/me", null, basic("guessed-user", "guessed-password")).status())
                    .isEqualTo(429);
            assertThat(server.call("GET", "/api/v1/auth/me", null, server.admin()).status()).isEqualTo(200);
        }
    }

    @Test
    void pairLocksLastAMinuteAndDoubleWhileFailuresGoOnUpToFifteenMinutes() {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 4; i++) {
            throttle.failed("a", "10.0.0.1");
        }
        assertThat(throttle.lockedFor("a", "10.0.0.1")).isEmpty();
        throttle.failed("a", "10.0.0.1");
        assertThat(throttle.lockedFor("a", "10.0.0.1")).contains(Duration.ofMinutes(1));
        assertThat(throttle.lockedFor("a", "10.0.0.2")).as("another address").isEmpty();
        assertThat(throttle.lockedFor("b", "10.0.0.1")).as("another user from the same address").isEmpty();
        Duration lock = Duration.ofMinutes(1);
        for (int round = 0; round < 6; round++) {
            clock.advance(lock);
            assertThat(throttle.lockedFor("a", "10.0.0.1")).isEmpty();
            for (int i = 0; i < 5; i++) {
                throttle.failed("a", "10.0.0.1");
            }
            lock = lock.multipliedBy(2).compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15) : lock.multipliedBy(2);
            assertThat(throttle.lockedFor("a", "10.0.0.1")).as("round %d", round).contains(lock);
        }
        clock.advance(lock);
        throttle.succeeded("a", "10.0.0.1");
        throttle.failed("a", "10.0.0.1");
        assertThat(throttle.lockedFor("a", "10.0.0.1")).isEmpty();
    }

    @Test
    void theAccountLocksOnlyAfterAHundredFailuresFromAnywhereAndForFiveMinutes() {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 99; i++) {
            throttle.failed("admin", "10.1.0." + i);
        }
        assertThat(throttle.lockedFor("admin", "10.2.0.1")).isEmpty();
        throttle.failed("admin", "10.1.1.1");
        assertThat(throttle.lockedFor("admin", "10.2.0.1")).contains(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5));
        assertThat(throttle.lockedFor("admin", "10.2.0.1")).isEmpty();
        for (int i = 0; i < 100; i++) {
            throttle.failed("admin", "10.3.0." + i);
        }
        assertThat(throttle.lockedFor("admin", "10.2.0.1")).as("the account lock does not double").contains(Duration.ofMinutes(5));
    }

    @Test
    void oneAddressSprayingManyNamesIsLockedForEveryName() {
        LoginThrottle throttle = new LoginThrottle(new SettableClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli()));
        for (int i = 0; i < 29; i++) {
            throttle.failed("user-" + i, "10.0.0.9");
        }
        assertThat(throttle.lockedFor("someone-else", "10.0.0.9")).isEmpty();
        throttle.failed("user-29", "10.0.0.9");
        assertThat(throttle.lockedFor("someone-else", "10.0.0.9")).contains(Duration.ofMinutes(15));
        assertThat(throttle.lockedFor("someone-else", "10.0.0.10")).isEmpty();
    }

    @Test
    void memoryDoesNotGrowWithTheUserNameAndEntriesExpireAfterTheirWindow() {
        SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 5; i++) {
            throttle.failed("short", "10.0.0.1");
        }
        long shortKeys = throttle.keyCharacters();
        LoginThrottle other = new LoginThrottle(clock);
        String huge = "x".repeat(1_000_000);
        for (int i = 0; i < 5; i++) {
            other.failed(huge + i, "10.0.0.1");
        }
        assertThat(other.size()).as("five pairs, one address, five accounts").isEqualTo(11);
        assertThat(other.keyCharacters()).as("five huge names keep about what five short ones keep").isLessThan(shortKeys * 5);

        clock.advance(Duration.ofMinutes(31));
        other.failed("late", "10.0.0.2");
        assertThat(other.size()).as("only the new failure's keys remain").isEqualTo(3);
    }
}

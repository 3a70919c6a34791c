package dev.atelier.server.auth;

import dev.atelier.server.testing.HttpJson;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
    void locksLastAMinuteAndDoubleWhileFailuresGoOn() {
        MutableClock clock = new MutableClock();
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < 4; i++) {
            throttle.failed("user:a");
        }
        assertThat(throttle.lockedFor("user:a")).isEmpty();
        throttle.failed("user:a");
        assertThat(throttle.lockedFor("user:b", "user:a")).contains(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(throttle.lockedFor("user:a")).isEmpty();
        for (int i = 0; i < 5; i++) {
            throttle.failed("user:a");
        }
        assertThat(throttle.lockedFor("user:a")).contains(Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(2));
        throttle.succeeded("user:a");
        throttle.failed("user:a");
        assertThat(throttle.lockedFor("user:a")).isEmpty();
    }

    /** A clock tests move forward by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

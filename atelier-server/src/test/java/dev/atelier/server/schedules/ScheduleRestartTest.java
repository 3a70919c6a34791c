package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A server restarted over the same data after hours down applies its {@code --schedule-catch-up} rule to the missed due times. */
class ScheduleRestartTest {
    private static final String SCHEDULE = """
            name: hourly
            trigger: {type: cron, expression: "0 * * * *"}
            create_job: {type: command, command: echo hourly}
            """;

    @Test
    void withCatchUpLastTheRestartedServerFiresTheLastMissedTimeOnce(@TempDir Path data) {
        SettableClock clock = new SettableClock(Instant.parse("2026-06-01T10:30:00Z").toEpochMilli());
        createThenStop(data, clock);
        clock.set(Instant.parse("2026-06-01T15:20:00Z").toEpochMilli());
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(data).withScheduleCatchUp(CatchUp.LAST), clock)) {
            HttpJson http = new HttpJson(server.url());
            JsonNode schedule = await(http, json -> json.hasNonNull("last_job"));
            assertThat(schedule.path("last_fired_at").asLong()).isEqualTo(Instant.parse("2026-06-01T15:00:00Z").toEpochMilli());
            assertThat(schedule.path("next_fire_at").asLong()).isEqualTo(Instant.parse("2026-06-01T16:00:00Z").toEpochMilli());
            assertThat(http.get("/api/v1/schedules/hourly/jobs").json().path("jobs")).hasSize(1);
        }
    }

    @Test
    void withCatchUpNoneTheRestartedServerSkipsTheMissedTimes(@TempDir Path data) {
        SettableClock clock = new SettableClock(Instant.parse("2026-06-01T10:30:00Z").toEpochMilli());
        createThenStop(data, clock);
        clock.set(Instant.parse("2026-06-01T15:20:00Z").toEpochMilli());
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(data).withScheduleCatchUp(CatchUp.NONE), clock)) {
            HttpJson http = new HttpJson(server.url());
            JsonNode schedule = await(http, json -> json.path("next_fire_at").asLong()
                    == Instant.parse("2026-06-01T16:00:00Z").toEpochMilli());
            assertThat(schedule.has("last_job")).isFalse();
            assertThat(http.get("/api/v1/schedules/hourly/jobs").json().path("jobs")).isEmpty();
        }
    }

    private static void createThenStop(Path data, SettableClock clock) {
        try (AtelierServer server = AtelierServer.start(ServerConfig.forTests(data), clock)) {
            HttpJson.Response created = new HttpJson(server.url()).send(HttpRequest.newBuilder(URI.create(server.url()
                    + "/api/v1/schedules")).header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(SCHEDULE, StandardCharsets.UTF_8)).build());
            assertThat(created.status()).as(created.text()).isEqualTo(200);
            assertThat(created.json().path("next_fire_at").asLong()).isEqualTo(Instant.parse("2026-06-01T11:00:00Z").toEpochMilli());
        }
    }

    /** Polls the schedule until {@code done} holds (the runner polls every second); fails after 30 s. */
    private static JsonNode await(HttpJson http, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode schedule = http.get("/api/v1/schedules/hourly").json();
            if (done.test(schedule)) {
                return schedule;
            }
            assertThat(System.nanoTime()).as("the runner handles the missed times").isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package dev.atelier.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.AtelierServer;
import dev.atelier.server.ServerConfig;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/schedules} on a real server whose clock the test sets: creation from YAML, next fire times in the
 * trigger's zone, a fire by the server's runner and a manual trigger that both make real jobs tagged with the schedule,
 * {@code azureml:<job>} with overrides, enable/disable/delete, and bad schedules refused naming the field.
 */
class ScheduleApiTest {
    private static final SettableClock CLOCK = new SettableClock(Instant.parse("2026-03-27T12:00:00Z").toEpochMilli());
    private static AtelierServer server;
    private static HttpJson http;

    @BeforeAll
    static void start() throws IOException {
        server = AtelierServer.start(ServerConfig.forTests(Files.createTempDirectory("atelier-schedules")), CLOCK);
        http = new HttpJson(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aScheduleShowsItsNextFireTimesAndTheServerFiresItWhenDue() {
        JsonNode created = create("""
                $schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json
                name: berlin-nightly
                display_name: Nightly in Berlin
                trigger:
                  type: cron
                  expression: "30 2 * * *"
                  time_zone: Europe/Berlin
                create_job:
                  type: command
                  command: echo scheduled
                """);
        assertThat(created.path("enabled").asBoolean()).isTrue();
        assertThat(created.path("next_fire_times")).extracting(JsonNode::asText).containsExactly("2026-03-28T02:30:00+01:00",
                "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00", "2026-04-01T02:30:00+02:00", "2026-04-02T02:30:00+02:00");
        assertThat(created.path("create_job").path("tags").path("atelier.schedule").asText()).isEqualTo("berlin-nightly");

        CLOCK.set(Instant.parse("2026-03-28T01:30:00Z").toEpochMilli());
        JsonNode fired = awaitLastJob("berlin-nightly");
        String job = fired.path("last_job").asText();
        assertThat(fired.path("next_fire_times").get(0).asText()).isEqualTo("2026-03-30T02:30:00+02:00");
        assertThat(http.get("/api/v1/jobs/" + job).json().path("spec").path("tags").path("atelier.schedule").asText())
                .isEqualTo("berlin-nightly");
        JsonNode fires = http.get("/api/v1/schedules/berlin-nightly/jobs").json().path("jobs");
        assertThat(fires).hasSize(1);
        assertThat(fires.get(0).path("job_name").asText()).isEqualTo(job);
        assertThat(fires.get(0).path("due_at").asLong()).isEqualTo(Instant.parse("2026-03-28T01:30:00Z").toEpochMilli());
    }

    @Test
    void aTriggerMakesAJobFromAnExistingJobWithItsInputsOverridden() {
        HttpJson.Response base = send("POST", "/api/v1/jobs", """
                name: base-training
                command: echo ${{inputs.epochs}}
                inputs: {epochs: 1}
                """);
        assertThat(base.status()).as(base.text()).isEqualTo(200);
        JsonNode created = create("""
                name: retrain
                trigger: {type: recurrence, frequency: day, interval: 1, schedule: {hours: [4], minutes: [0]}}
                create_job:
                  type: command
                  job: azureml:base-training
                  inputs: {epochs: 5}
                  experiment_name: retraining
                  tags: {team: vision}
                """);
        assertThat(created.path("create_job").has("name")).isFalse();
        HttpJson.Response trigger = http.post("/api/v1/schedules/retrain/trigger", Map.of());
        assertThat(trigger.status()).as(trigger.text()).isEqualTo(200);
        assertThat(trigger.json().path("manual").asBoolean()).isTrue();
        JsonNode spec = http.get("/api/v1/jobs/" + trigger.json().path("job_name").asText()).json().path("spec");
        assertThat(spec.path("inputs").path("epochs").asInt()).isEqualTo(5);
        assertThat(spec.path("experiment_name").asText()).isEqualTo("retraining");
        assertThat(spec.path("tags").path("team").asText()).isEqualTo("vision");
        assertThat(spec.path("tags").path("atelier.schedule").asText()).isEqualTo("retrain");
        assertThat(http.get("/api/v1/schedules/retrain").json().path("last_job").asText())
                .isEqualTo(trigger.json().path("job_name").asText());
    }

    @Test
    void disablingClearsTheNextFireTimesAndEnablingRestoresThem() {
        create("""
                name: toggled
                trigger: {type: cron, expression: "0 6 * * 1"}
                create_job: {command: echo hi}
                """);
        JsonNode disabled = http.post("/api/v1/schedules/toggled/disable", Map.of()).json();
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.has("next_fire_times")).isFalse();
        JsonNode enabled = http.post("/api/v1/schedules/toggled/enable", Map.of()).json();
        assertThat(enabled.path("enabled").asBoolean()).isTrue();
        assertThat(enabled.path("next_fire_times")).hasSize(5);
        assertThat(http.get("/api/v1/schedules").json().path("schedules")).extracting(node -> node.path("name").asText())
                .contains("toggled");
        assertThat(send("POST", "/api/v1/schedules", "name: toggled\ntrigger: {type: cron, expression: '* * * * *'}\n"
                + "create_job: {command: echo hi}\n").errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(http.send("DELETE", "/api/v1/schedules/toggled", null).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/schedules/toggled").status()).isEqualTo(404);
        assertThat(http.post("/api/v1/schedules/toggled/trigger", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void badSchedulesAreRefusedNamingTheFieldAndNothingIsCreated() {
        refused("name: bad\ntrigger: {type: cron, expression: '61 * * * *'}\ncreate_job: {command: echo hi}\n", "trigger.expression");
        refused("name: bad\ntrigger: {type: cron, expression: '* * *'}\ncreate_job: {command: echo hi}\n", "trigger.expression");
        refused("name: bad\ntrigger: {type: recurrence, frequency: fortnight, interval: 1}\ncreate_job: {command: echo hi}\n",
                "trigger.frequency");
        refused("name: bad\ntrigger: {type: recurrence, frequency: day, interval: 0}\ncreate_job: {command: echo hi}\n",
                "trigger.interval");
        refused("name: bad\ntrigger: {type: recurrence, frequency: week, interval: 1, pattern: {week_days: [funday]}}\n"
                + "create_job: {command: echo hi}\n", "trigger.pattern.week_days");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *', start_time: '2026-05-01T00:00:00',"
                + " end_time: '2026-04-01T00:00:00'}\ncreate_job: {command: echo hi}\n", "trigger.end_time");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *', time_zone: Mars/Olympus}\ncreate_job: {command: echo hi}\n",
                "trigger.time_zone");
        refused("name: bad\ntrigger: {type: hourly}\ncreate_job: {command: echo hi}\n", "trigger.type");
        refused("name: bad\ncreate_job: {command: echo hi}\n", "trigger");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *'}\n", "create_job");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *'}\ncreate_job: {command: echo hi, compute: gpu-cluster}\n",
                "create_job");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *'}\ncreate_job: {type: command}\n", "create_job");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *'}\ncreate_job: ./job.yml\n", "create_job");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *'}\ncreate_job: azureml:no-such-job\n", "create_job");
        refused("name: bad schedule\ntrigger: {type: cron, expression: '* * * * *'}\ncreate_job: {command: echo hi}\n", "name");
        refused("name: bad\ntrigger: {type: cron, expression: '* * * * *'}\ncreate_job: {command: echo hi}\nschedule: x\n", "schedule");
        assertThat(http.get("/api/v1/schedules/bad").status()).isEqualTo(404);
    }

    private static void refused(String yaml, String field) {
        HttpJson.Response response = send("POST", "/api/v1/schedules", yaml);
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().path("message").asText()).as(yaml).contains("'" + field + "'");
        assertThat(http.get("/api/v1/schedules/bad").status()).isEqualTo(404);
    }

    private static JsonNode create(String yaml) {
        HttpJson.Response response = send("POST", "/api/v1/schedules", yaml);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json();
    }

    private static HttpJson.Response send(String method, String path, String yaml) {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).header("Content-Type", "application/yaml")
                .method(method, HttpRequest.BodyPublishers.ofString(yaml, StandardCharsets.UTF_8)).build());
    }

    /** Polls the schedule until its runner recorded a job (the runner polls every second); fails after 30 s. */
    private static JsonNode awaitLastJob(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode schedule = http.get("/api/v1/schedules/" + name).json();
            if (schedule.hasNonNull("last_job")) {
                return schedule;
            }
            assertThat(System.nanoTime()).as("the runner fires %s", name).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}

package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.server.testing.HttpJson;
import dev.atelier.server.testing.ServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code atelier schedule} against a real server: a schedule whose job is a local file, then list, show, disable, enable, trigger, delete. */
class ScheduleCommandTest {
    @RegisterExtension
    static final ServerExtension server = new ServerExtension();

    @Test
    void aScheduleOfALocalJobFileIsCreatedShownToggledTriggeredAndDeleted(@TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("train.sh"), "echo training $1\n");
        Files.writeString(dir.resolve("job.yml"), """
                type: command
                code: ./src
                command: sh train.sh ${{inputs.epochs}}
                inputs: {epochs: 1}
                """);
        Path yaml = Files.writeString(dir.resolve("schedule.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json
                name: cli-nightly
                display_name: Nightly training
                trigger:
                  type: recurrence
                  frequency: day
                  interval: 1
                  schedule:
                    hours: [2]
                    minutes: [30]
                  time_zone: Europe/Berlin
                create_job:
                  type: command
                  job: ./job.yml
                  inputs: {epochs: 3}
                """);

        Cli.Result created = Cli.runAgainst(server.url(), "schedule", "create", "-f", yaml.toString(), "-o", "json");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode schedule = HttpJson.parse(created.out());
        assertThat(schedule.path("create_job").path("code").asText()).startsWith("snapshot:");
        assertThat(schedule.path("create_job").path("inputs").path("epochs").asInt()).isEqualTo(3);
        assertThat(schedule.path("next_fire_times")).hasSize(5).allSatisfy(time -> assertThat(time.asText()).contains("T02:30:00+0"));

        assertThat(Cli.runAgainst(server.url(), "schedule", "list").out()).contains("cli-nightly", "every day", "Europe/Berlin", "yes");
        Cli.Result shown = Cli.runAgainst(server.url(), "schedule", "show", "cli-nightly");
        assertThat(shown.out()).contains("Next fire times:", schedule.path("next_fire_times").get(0).asText());

        assertThat(Cli.runAgainst(server.url(), "schedule", "disable", "cli-nightly").exitCode()).isZero();
        assertThat(server.http().get("/api/v1/schedules/cli-nightly").json().path("enabled").asBoolean()).isFalse();
        assertThat(Cli.runAgainst(server.url(), "schedule", "enable", "cli-nightly").out()).contains("Enabled schedule 'cli-nightly'");

        Cli.Result triggered = Cli.runAgainst(server.url(), "schedule", "trigger", "cli-nightly", "-o", "json");
        assertThat(triggered.exitCode()).as(triggered.err()).isZero();
        String job = HttpJson.parse(triggered.out()).path("job_name").asText();
        JsonNode spec = server.http().get("/api/v1/jobs/" + job).json().path("spec");
        assertThat(spec.path("tags").path("atelier.schedule").asText()).isEqualTo("cli-nightly");
        assertThat(Cli.runAgainst(server.url(), "schedule", "show", "cli-nightly").out()).contains("Triggered:", job);

        assertThat(Cli.runAgainst(server.url(), "schedule", "delete", "cli-nightly").exitCode()).isZero();
        Cli.Result gone = Cli.runAgainst(server.url(), "schedule", "show", "cli-nightly");
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(gone.err()).contains("does not exist");
    }

    @Test
    void aBadScheduleIsRefusedNamingTheField(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("bad.yml"), """
                name: cli-bad
                trigger: {type: cron, expression: "0 25 * * *"}
                create_job: {type: command, command: echo hi}
                """);
        Cli.Result refused = Cli.runAgainst(server.url(), "schedule", "create", "-f", yaml.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.SERVER_REFUSED);
        assertThat(refused.err()).contains("trigger.expression");
    }
}

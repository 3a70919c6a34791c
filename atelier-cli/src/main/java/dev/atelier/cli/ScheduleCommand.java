package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Schedule;
import dev.atelier.sdk.ScheduleDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code atelier schedule ...}: create schedules from YAML (Azure ML CLI v2 style) that submit a job on a cron or
 * recurrence trigger; list them, show one with its next fire times and jobs, enable, disable, trigger and delete.
 */
@Command(name = "schedule", description = "Create, list, show, enable, disable, trigger and delete schedules that submit jobs.",
        subcommands = {ScheduleCommand.CreateCommand.class, ScheduleCommand.ListCommand.class, ScheduleCommand.ShowCommand.class,
                ScheduleCommand.EnableCommand.class, ScheduleCommand.DisableCommand.class, ScheduleCommand.TriggerCommand.class,
                ScheduleCommand.DeleteCommand.class})
final class ScheduleCommand {

    @Command(name = "create", description = "Create a schedule from a YAML file; a local job file in create_job is read, and its "
            + "code folder and local inputs uploaded, first.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The schedule's YAML file.")
        Path file;

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            if (!Files.isRegularFile(file)) {
                throw usageError("Invalid value for option '--file': " + file + " is not a file");
            }
            Schedule schedule;
            try {
                schedule = client.schedules().create(overrides.applyTo(ScheduleDocuments.prepare(file, client.snapshots(),
                        new UploadProgressBar(spec.commandLine().getErr()))));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
            out.print(schedule.json(), "Created schedule '" + schedule.name() + "'; next fire time: "
                    + (schedule.nextFireTimes().isEmpty() ? "none" : schedule.nextFireTimes().getFirst()));
        }
    }

    @Command(name = "list", description = "List schedules by name.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<Schedule> schedules = client.schedules().list();
            Table table = Table.withHeaders("NAME", "ENABLED", "TRIGGER", "TIME ZONE", "NEXT FIRE TIME", "LAST JOB");
            schedules.forEach(schedule -> table.row(schedule.name(), schedule.enabled() ? "yes" : "no", trigger(schedule.json()),
                    schedule.timeZone(), schedule.nextFireTimes().isEmpty() ? "-" : schedule.nextFireTimes().getFirst(),
                    schedule.lastJob().or(schedule::lastError).orElse("-")));
            out.print(schedules.stream().map(Schedule::json).toList(), table);
        }
    }

    @Command(name = "show", description = "Show a schedule: trigger, state, next fire times and the jobs it made.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            Schedule schedule = client.schedules().get(name);
            Table details = Table.details()
                    .row("Name:", schedule.name())
                    .row("Enabled:", schedule.enabled() ? "yes" : "no")
                    .row("Trigger:", trigger(schedule.json()))
                    .row("Time zone:", schedule.timeZone())
                    .row("Next fire times:", schedule.nextFireTimes().isEmpty() ? "-" : String.join(", ", schedule.nextFireTimes()))
                    .row("Last job:", schedule.lastJob().orElse("-"))
                    .row("Last error:", schedule.lastError().orElse("-"));
            for (JsonNode fire : client.schedules().jobs(name, 10)) {
                details.row(fire.path("manual").asBoolean() ? "Triggered:" : "Fired:", Output.time(fire.path("fired_at").asLong())
                        + "  " + (fire.hasNonNull("job_name") ? fire.path("job_name").asText() : "error: " + fire.path("error").asText()));
            }
            out.print(schedule.json(), details);
        }
    }

    @Command(name = "enable", description = "Enable a schedule: it fires from its next due time on.")
    static final class EnableCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            Schedule schedule = client.schedules().enable(name);
            out.print(schedule.json(), "Enabled schedule '" + name + "'; next fire time: "
                    + (schedule.nextFireTimes().isEmpty() ? "none" : schedule.nextFireTimes().getFirst()));
        }
    }

    @Command(name = "disable", description = "Disable a schedule: it fires no more until enabled.")
    static final class DisableCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            out.print(client.schedules().disable(name).json(), "Disabled schedule '" + name + "'.");
        }
    }

    @Command(name = "trigger", description = "Fire a schedule now, once, outside its cadence.")
    static final class TriggerCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode fire = client.schedules().trigger(name);
            out.print(fire, "Schedule '" + name + "' submitted job '" + fire.path("job_name").asText() + "'.");
        }
    }

    @Command(name = "delete", description = "Delete a schedule (the jobs it made stay).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            client.schedules().delete(name);
            out.print(Output.mapper().createObjectNode().put("deleted", name), "Deleted schedule '" + name + "'.");
        }
    }

    /** A trigger in a few words: {@code cron 30 2 * * *}, {@code every 2 days}. */
    private static String trigger(JsonNode schedule) {
        JsonNode trigger = schedule.path("trigger");
        if ("cron".equals(trigger.path("type").asText())) {
            return "cron " + trigger.path("expression").asText();
        }
        int interval = trigger.path("interval").asInt(1);
        String unit = trigger.path("frequency").asText();
        return "every " + (interval == 1 ? unit : interval + " " + unit + "s");
    }
}

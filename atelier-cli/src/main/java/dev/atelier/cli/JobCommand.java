package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Job;
import dev.atelier.sdk.JobDocuments;
import dev.atelier.sdk.JobLogPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code atelier job ...}: submit jobs from YAML (Azure ML CLI v2 style), list them, show one, follow
 * its log, cancel it, download its outputs.
 */
@Command(name = "job", description = "Submit, list, show, follow, cancel and download jobs.",
        subcommands = {JobCommand.CreateCommand.class, JobCommand.ListCommand.class, JobCommand.ShowCommand.class,
                JobCommand.LogsCommand.class, JobCommand.StreamCommand.class, JobCommand.CancelCommand.class, JobCommand.DownloadCommand.class})
final class JobCommand {
    private static final long FOLLOW_POLL_MILLIS = 300;

    @Command(name = "create", description = "Submit a job from a YAML file; its code folder and local inputs are uploaded first.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The job's YAML file.")
        Path file;

        @Option(names = "--stream", description = "Print the job's log until it ends, then its status; exit 5 unless it completed.")
        boolean stream;

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            if (!Files.isRegularFile(file)) {
                throw usageError("Invalid value for option '--file': " + file + " is not a file");
            }
            Job job;
            try {
                job = client.jobs().create(overrides.applyTo(JobDocuments.prepare(file, client.snapshots(),
                        new UploadProgressBar(spec.commandLine().getErr()))));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
            submitted(client, job, stream, logWriter(), out);
        }
    }

    /**
     * Says that {@code job} was created; with {@code stream} (what {@code --stream} does), prints its log to
     * {@code writer} until it ends (standard error with {@code -o json}, so that standard output holds only the ended
     * job's JSON), then its final status. A followed job that did not complete ends the command with
     * {@link ExitCodes#JOB_NOT_COMPLETED}.
     */
    static void submitted(AtelierClient client, Job job, boolean stream, PrintWriter writer, Output out) {
        if (!stream) {
            out.print(job.json(), "Created job '" + job.name() + "' (" + job.status() + ", run " + job.runId() + "). Follow it with: "
                    + "atelier job logs -f " + job.name());
            return;
        }
        writer.println("Created job '" + job.name() + "' (run " + job.runId() + "); following its log.");
        writer.flush();
        printLog(client, job.name(), writer, true);
        Job ended = client.jobs().get(job.name());
        out.print(ended.json(), "Job '" + ended.name() + "' ended " + ended.status() + ended.reason().map(reason -> ": " + reason).orElse("")
                + " (run " + ended.runId() + ").");
        if (!ended.status().equals("Completed")) {
            throw new JobNotCompletedException(ended.name(), ended.status());
        }
    }

    @Command(name = "list", description = "List jobs, newest first.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Option(names = "--parent", paramLabel = "JOB", description = "Only the trials of this sweep job, or the step jobs of this "
                + "pipeline.")
        Optional<String> parent = Optional.empty();

        @Option(names = "--max-results", paramLabel = "N", defaultValue = "100", description = "At most N jobs (default: ${DEFAULT-VALUE}).")
        int maxResults;

        @Override
        void run(AtelierClient client, Output out) {
            List<Job> jobs = client.jobs().list(parent, maxResults);
            Table table = Table.withHeaders("NAME", "TYPE", "STATUS", "COMPUTE", "CREATED", "RUN ID");
            jobs.forEach(job -> table.row(job.name(), job.type(), job.status(), job.compute(),
                    Output.time(job.json().path("created_at").asLong()), job.runId()));
            out.print(jobs.stream().map(Job::json).toList(), table);
        }
    }

    @Command(name = "show", description = "Show a job: status, times, exit code or reason, run and snapshot; a pipeline's steps; "
            + "an AutoML job's leaderboard and data guardrails.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            Job job = client.jobs().get(name);
            Table details = Table.details()
                    .row("Name:", job.name())
                    .row("Type:", job.type())
                    .row("Status:", job.status())
                    .row("Compute:", job.compute())
                    .row("Run:", job.runId())
                    .row("Experiment:", job.experimentId())
                    .row("Snapshot:", job.snapshotId().orElse("-"))
                    .row("Created:", time(job, "created_at"))
                    .row("Started:", time(job, "started_at"))
                    .row("Ended:", time(job, "ended_at"))
                    .row("Exit code:", job.json().has("exit_code") ? job.json().path("exit_code").asText() : "-")
                    .row("Reason:", job.reason().orElse("-"));
            if (job.json().path("result").has("best_trial")) {
                details.row("Best trial:", job.json().path("result").path("best_trial").asText() + " ("
                        + job.json().path("result").path("primary_metric").asText() + " = "
                        + job.json().path("result").path("best_metric_value").asText() + ")");
            }
            JsonNode result = job.json().path("result");
            if (result.has("trials") && result.has("best_run_id")) {
                details.row("Best run:", result.path("best_run_id").asText("-") + " (" + result.path("primary_metric").asText() + " = "
                        + result.path("best_score").asText("-") + (result.hasNonNull("best_algorithm")
                        ? ", " + result.path("best_algorithm").asText() : "") + ")");
                Table leaderboard = Table.titled("Leaderboard (best first):", "RANK", "TRIAL", "ALGORITHM", "SCORE", "STATUS", "RUN ID");
                int rank = 0;
                for (JsonNode trial : result.path("trials")) {
                    leaderboard.row(String.valueOf(++rank), trial.path("name").asText(), trial.path("algorithm").asText(),
                            trial.path("score").isNumber() ? trial.path("score").asText() : "-", trial.path("status").asText(),
                            trial.path("run_id").asText("-"));
                }
                Table guardrails = Table.titled("Data guardrails:", "GUARDRAIL", "STATUS", "MESSAGE");
                result.path("guardrails").forEach(guardrail -> guardrails.row(guardrail.path("name").asText(),
                        guardrail.path("status").asText(), guardrail.path("message").asText()));
                out.print(job.json(), details, leaderboard, guardrails);
                return;
            }
            if (job.type().equals("pipeline")) {
                Table steps = Table.titled("Steps:", "STEP", "STATUS", "JOB", "RUN ID", "REUSED FROM", "DEPENDS ON");
                job.steps().forEach(step -> steps.row(step.name(), step.status(), step.jobName().orElse("-"), step.runId().orElse("-"),
                        step.reusedFrom().orElse("-"), step.dependsOn().isEmpty() ? "-" : String.join(",", step.dependsOn())));
                out.print(job.json(), details, steps);
                return;
            }
            out.print(job.json(), details);
        }

        private static String time(Job job, String field) {
            return job.json().has(field) ? Output.time(job.json().path(field).asLong()) : "-";
        }
    }

    @Command(name = "logs", description = "Print a job's output (stdout, stderr and Atelier's own lines), in order.")
    static final class LogsCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the job ends.")
        boolean follow;

        @Override
        void run(AtelierClient client, Output out) {
            printLog(client, name, spec.commandLine().getOut(), follow);
        }
    }

    /** {@code az ml job stream}: the job's log from its first line, followed until the job ends. */
    @Command(name = "stream", description = "Print a job's output and keep printing new lines until the job ends (logs --follow).")
    static final class StreamCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            printLog(client, name, spec.commandLine().getOut(), true);
        }
    }

    /**
     * Prints the log of job {@code name} from its first line; with {@code follow}, polls for new lines until the job
     * ends. Returns early when the thread is interrupted.
     */
    static void printLog(AtelierClient client, String name, PrintWriter writer, boolean follow) {
        long after = 0;
        while (true) {
            JobLogPage page = client.jobs().logs(name, after);
            page.lines().forEach(line -> writer.println(line.text()));
            writer.flush();
            after = page.lastSeq();
            if (!page.lines().isEmpty()) {
                continue;
            }
            if (!follow || page.ended()) {
                return;
            }
            try {
                Thread.sleep(FOLLOW_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Command(name = "cancel", description = "Cancel a job: a queued job never starts, a running one has its processes stopped; "
            + "a pipeline's running steps are canceled with it.")
    static final class CancelCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            Job job = client.jobs().cancel(name);
            out.print(job.json(), job.ended() ? "Canceled job '" + name + "'." : "Asked job '" + name + "' to stop (" + job.status() + ").");
        }
    }

    @Command(name = "download", description = "Download a job's outputs and logs (its run's artifacts).")
    static final class DownloadCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-d", "--download-path"}, paramLabel = "DIR", description = "Folder to write into (default: ./<job name>).")
        Optional<Path> target = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            Path folder = target.orElse(Path.of(name)).toAbsolutePath();
            int files = client.jobs().download(name, folder);
            out.print(Output.mapper().createObjectNode().put("job", name).put("files", files).put("path", folder.toString()),
                    "Downloaded " + files + (files == 1 ? " file" : " files") + " of job '" + name + "' to " + folder);
        }
    }
}

package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Metric;
import dev.atelier.sdk.Run;
import dev.atelier.sdk.RunInfo;
import dev.atelier.sdk.RunSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;

/** {@code atelier runs ...}: MLflow runs of one workspace. */
@Command(name = "runs", description = "List, show and delete runs.",
        subcommands = {RunsCommand.ListCommand.class, RunsCommand.ShowCommand.class, RunsCommand.DeleteCommand.class})
final class RunsCommand {

    @Command(name = "list", description = "List the runs of an experiment, newest first unless --order-by says otherwise.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Option(names = {"-e", "--experiment"}, paramLabel = "ID_OR_NAME", required = true,
                description = "The experiment's id or, when no experiment has that id, its name.")
        String experiment;

        @Option(names = "--filter", paramLabel = "EXPRESSION", defaultValue = "",
                description = "MLflow search filter, such as \"metrics.loss < 0.1 and params.lr = '0.01'\".")
        String filter;

        @Option(names = "--order-by", paramLabel = "CLAUSE",
                description = "Sort clause, such as \"metrics.loss ASC\"; repeat for more.")
        List<String> orderBy = List.of();

        @Option(names = "--max", paramLabel = "N", defaultValue = "100", description = "At most N runs (default: ${DEFAULT-VALUE}).")
        int max;

        @Override
        void run(AtelierClient client, Output out) {
            if (max < 1) {
                throw new ParameterException(spec.commandLine(), "Invalid value for option '--max': must be at least 1, got " + max);
            }
            String experimentId = client.experiments().resolve(experiment).experimentId();
            List<Run> runs = client.runs().list(RunSearch.inExperiments(experimentId).withFilter(filter).withOrderBy(orderBy), max);
            Table table = Table.withHeaders("RUN ID", "NAME", "STATUS", "STARTED", "DURATION");
            runs.forEach(run -> table.row(run.info().runId(), run.info().runName(), run.info().status(),
                    Output.time(run.info().startTime()), duration(run.info())));
            out.print(runs.stream().map(Run::json).toList(), table);
        }
    }

    @Command(name = "show", description = "Show a run: its details, params, latest metrics and tags.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Override
        void run(AtelierClient client, Output out) {
            Run run = client.runs().get(runId);
            out.print(run.json(), details(run.info()), params(run), metrics(run), tags(run));
        }
    }

    @Command(name = "delete", description = "Delete a run (it can be restored until 'atelier gc' removes it).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "RUN_ID")
        String runId;

        @Override
        void run(AtelierClient client, Output out) {
            client.runs().delete(runId);
            out.print(Output.mapper().createObjectNode(), "Deleted run " + runId + ".");
        }
    }

    private static Table details(RunInfo info) {
        return Table.details()
                .row("Run ID:", info.runId())
                .row("Name:", info.runName())
                .row("Experiment ID:", info.experimentId())
                .row("Status:", info.status())
                .row("User:", info.userId())
                .row("Started:", Output.time(info.startTime()))
                .row("Ended:", info.endTime().isPresent() ? Output.time(info.endTime().getAsLong()) : "")
                .row("Duration:", duration(info))
                .row("Artifact URI:", info.artifactUri())
                .row("Stage:", info.lifecycleStage());
    }

    private static Table params(Run run) {
        Table params = Table.titled("Params:", "KEY", "VALUE");
        run.data().params().forEach(params::row);
        return params;
    }

    private static Table metrics(Run run) {
        Table metrics = Table.titled("Metrics (latest values):", "KEY", "VALUE", "STEP", "TIME");
        for (Metric metric : run.data().metrics()) {
            metrics.row(metric.key(), metric.value(), metric.step(), Output.time(metric.timestamp()));
        }
        return metrics;
    }

    private static Table tags(Run run) {
        Table tags = Table.titled("Tags:", "KEY", "VALUE");
        run.data().tags().forEach(tags::row);
        return tags;
    }

    /** How long the run took, or has been running; empty when it has no start time. */
    static String duration(RunInfo info) {
        if (info.startTime() <= 0) {
            return "";
        }
        long end = info.endTime().isPresent() ? info.endTime().getAsLong() : System.currentTimeMillis();
        Duration duration = Duration.ofMillis(Math.max(0, end - info.startTime()));
        if (duration.toHours() > 0) {
            return duration.toHours() + "h " + duration.toMinutesPart() + "m";
        }
        if (duration.toMinutes() > 0) {
            return duration.toMinutes() + "m " + duration.toSecondsPart() + "s";
        }
        return duration.toSeconds() + "." + duration.toMillisPart() / 100 + "s";
    }
}

package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Experiment;
import dev.atelier.sdk.ViewType;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code atelier experiments ...}: MLflow experiments of one workspace. */
@Command(name = "experiments", description = "List, create and delete experiments.",
        subcommands = {ExperimentsCommand.ListCommand.class, ExperimentsCommand.CreateCommand.class,
                ExperimentsCommand.DeleteCommand.class})
final class ExperimentsCommand {

    @Command(name = "list", description = "List the experiments of a workspace (active ones unless told otherwise).")
    static final class ListCommand extends WorkspaceScopedCommand {
        @ArgGroup(exclusive = true)
        Stage stage;

        static final class Stage {
            @Option(names = "--all", description = "Active and deleted experiments.")
            boolean all;

            @Option(names = "--deleted", description = "Deleted experiments only.")
            boolean deleted;
        }

        @Override
        void run(AtelierClient client, Output out) {
            ViewType view = stage == null ? ViewType.ACTIVE_ONLY : stage.all ? ViewType.ALL : ViewType.DELETED_ONLY;
            List<Experiment> experiments = client.experiments().list(view);
            Table table = Table.withHeaders("ID", "NAME", "STAGE", "CREATED");
            experiments.forEach(experiment -> table.row(experiment.experimentId(), experiment.name(),
                    experiment.lifecycleStage(), Output.time(experiment.creationTime())));
            out.print(experiments.stream().map(Experiment::json).toList(), table);
        }
    }

    @Command(name = "create", description = "Create an experiment.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            String id = client.experiments().create(name);
            out.print(Output.mapper().createObjectNode().put("experiment_id", id),
                    "Created experiment '" + name + "' with id " + id + " in workspace '" + workspace + "'.");
        }
    }

    @Command(name = "delete", description = "Delete an experiment and its runs (they can be restored until 'atelier gc' "
            + "removes them).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "ID_OR_NAME", description = "The experiment's id or, when no experiment has that id, its name.")
        String idOrName;

        @Override
        void run(AtelierClient client, Output out) {
            Experiment experiment = client.experiments().resolve(idOrName);
            client.experiments().delete(experiment.experimentId());
            out.print(Output.mapper().createObjectNode(),
                    "Deleted experiment '" + experiment.name() + "' (id " + experiment.experimentId() + ").");
        }
    }
}

package dev.atelier.cli;

import dev.atelier.api.Workspace;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code atelier workspace ...}: workspaces through the native API. */
@Command(name = "workspace", description = "Create, list, show and delete workspaces, and manage who may use them.",
        subcommands = {WorkspaceCommand.CreateCommand.class, WorkspaceCommand.ListCommand.class, WorkspaceCommand.ShowCommand.class,
                WorkspaceCommand.DeleteCommand.class, AccessCommand.class})
final class WorkspaceCommand {

    @Command(name = "create", description = "Create a workspace.")
    static final class CreateCommand extends ClientCommand {
        @Parameters(paramLabel = "NAME", description = "1 to 63 lowercase letters, digits and dashes.")
        String name;

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT", defaultValue = "", description = "What the workspace is for.")
        String description;

        @Override
        void run(AtelierClient client, Output out) {
            Workspace workspace = client.workspaces().create(name, description, Map.of());
            out.print(workspace, details(workspace));
        }
    }

    @Command(name = "list", description = "List all workspaces.")
    static final class ListCommand extends ClientCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<Workspace> workspaces = client.workspaces().list();
            Table table = Table.withHeaders("NAME", "DESCRIPTION", "CREATED", "TAGS");
            workspaces.forEach(workspace -> table.row(workspace.name(), workspace.description(),
                    Output.time(workspace.creationTime()), tags(workspace.tags())));
            out.print(workspaces, table);
        }
    }

    @Command(name = "show", description = "Show one workspace.")
    static final class ShowCommand extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            Workspace workspace = client.workspaces().get(name);
            out.print(workspace, details(workspace));
        }
    }

    @Command(name = "delete", description = "Delete a workspace. One that still holds experiments, runs or artifacts "
            + "is only deleted with --force, which deletes them too.")
    static final class DeleteCommand extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--force", description = "Also delete everything in the workspace.")
        boolean force;

        @Override
        void run(AtelierClient client, Output out) {
            client.workspaces().delete(name, force);
            out.print(Output.mapper().createObjectNode(), "Deleted workspace '" + name + "'.");
        }
    }

    private static Table details(Workspace workspace) {
        return Table.details()
                .row("Name:", workspace.name())
                .row("Description:", workspace.description())
                .row("Created:", Output.time(workspace.creationTime()))
                .row("Updated:", Output.time(workspace.lastUpdateTime()))
                .row("Tags:", tags(workspace.tags()));
    }

    private static String tags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(tag -> tag.getKey() + "=" + tag.getValue())
                .collect(Collectors.joining(", "));
    }
}

package dev.atelier.cli;

import dev.atelier.api.Workspace;
import picocli.CommandLine.Option;

/** A client command that works inside one workspace, chosen with {@code --workspace}. */
abstract class WorkspaceScopedCommand extends ClientCommand {
    @Option(names = {"-w", "--workspace"}, paramLabel = "NAME", defaultValue = "${env:ATELIER_WORKSPACE:-" + Workspace.DEFAULT + "}",
            description = "Workspace to work in (default: $ATELIER_WORKSPACE, else " + Workspace.DEFAULT + ").")
    String workspace;

    @Override
    final String workspace() {
        return workspace;
    }
}

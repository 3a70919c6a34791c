package dev.atelier.cli;

import dev.atelier.api.Workspace;
import picocli.CommandLine.Option;

/** The {@code --workspace} option of commands that work inside one workspace. */
final class WorkspaceOption {
    @Option(names = {"-w", "--workspace"}, paramLabel = "NAME", defaultValue = "${env:ATELIER_WORKSPACE:-" + Workspace.DEFAULT + "}",
            description = "Workspace to work in (default: $ATELIER_WORKSPACE, else " + Workspace.DEFAULT + ").")
    String name;
}

package dev.atelier.cli;

import dev.atelier.server.config.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

/**
 * {@code atelier}: the entry point of the distribution. {@code atelier server} starts the server;
 * every other command is a client of a running server (see docs/cli.md).
 */
@Command(name = "atelier", mixinStandardHelpOptions = true, versionProvider = AtelierCommand.VersionProvider.class,
        scope = ScopeType.INHERIT,
        description = "Atelier, a self-hosted machine-learning workspace that speaks MLflow's REST API.",
        subcommands = {ServerCommand.class, LoginCommand.class, LogoutCommand.class, WorkspaceCommand.class,
                ExperimentsCommand.class, RunsCommand.class, ModelsCommand.class, UsersCommand.class, TokensCommand.class, SecretsCommand.class,
                DataCommand.class, DatastoreCommand.class, JobCommand.class, ComponentCommand.class, ScheduleCommand.class,
                NotebookCommand.class,
                EnvironmentCommand.class, ComputeCommand.class, EndpointCommand.class, DeploymentCommand.class,
                BatchEndpointCommand.class, BatchDeploymentCommand.class,
                AuditCommand.class, AdminCommand.class, GcCommand.class, BackupCommand.class, RestoreCommand.class, CommandLine.HelpCommand.class})
public final class AtelierCommand {
    /** Puts the exit codes of the client commands in {@code atelier --help}. */
    @Mixin
    ExitCodes exitCodes;

    private final CliEnvironment environment;

    public AtelierCommand() {
        this(CliEnvironment.system());
    }

    AtelierCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    /** The environment every subcommand reads, reached through {@code spec.root().userObject()}. */
    CliEnvironment environment() {
        return environment;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AtelierCommand()).execute(args));
    }

    /** {@code atelier --version}: the version of this build. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"atelier " + Version.current()};
        }
    }
}

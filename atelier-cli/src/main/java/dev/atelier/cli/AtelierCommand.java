package dev.atelier.cli;

import dev.atelier.server.config.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ScopeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code atelier}: the entry point of the distribution. {@code atelier server} starts the server;
 * every other command is a client of a running server (see docs/cli.md).
 */
@Command(name = "atelier", mixinStandardHelpOptions = true, versionProvider = AtelierCommand.VersionProvider.class,
        scope = ScopeType.INHERIT,
        description = "Atelier, a self-hosted machine-learning workspace that speaks MLflow's REST API.")
public final class AtelierCommand {
    /**
     * The subcommands, in the order {@code atelier --help} lists them. Not in the annotation: picocli builds the model of
     * every declared subcommand (reflection over each command class and its options) when the command line is made,
     * which cost ~1.6 s of CPU per CLI call; {@link #commandLine} adds only the one the arguments name.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(ServerCommand.class, LoginCommand.class, LogoutCommand.class,
            WorkspaceCommand.class, ExperimentsCommand.class, RunsCommand.class, ModelsCommand.class, UsersCommand.class,
            TokensCommand.class, SecretsCommand.class, DataCommand.class, DatastoreCommand.class, JobCommand.class,
            ComponentCommand.class, ScheduleCommand.class, NotebookCommand.class, EnvironmentCommand.class, ComputeCommand.class,
            EndpointCommand.class, DeploymentCommand.class, BatchEndpointCommand.class, BatchDeploymentCommand.class,
            AuditCommand.class, AdminCommand.class, GcCommand.class, BackupCommand.class, RestoreCommand.class,
            CommandLine.HelpCommand.class);

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
        CommandLine commandLine = commandLine(new AtelierCommand(), args);
        System.exit(commandLine.execute(AzureCliArguments.rewrite(commandLine, args)));
    }

    /**
     * The command line for {@code args}: the root with the one subcommand {@code args[0]} names (by name or alias), none
     * for {@code --version}, or every subcommand otherwise (help, a typo, no arguments), so that help and "did you mean"
     * see them all.
     */
    static CommandLine commandLine(AtelierCommand root, String[] args) {
        CommandLine commandLine = new CommandLine(root);
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return commandLine;
        }
        Optional<Class<?>> named = args.length == 0 || args[0].startsWith("-") ? Optional.empty()
                : SUBCOMMANDS.stream().filter(command -> names(command).contains(args[0])).findFirst();
        if (named.isPresent() && named.get() != CommandLine.HelpCommand.class) {
            commandLine.addSubcommand(named.get());
        } else {
            SUBCOMMANDS.forEach(commandLine::addSubcommand);
        }
        return commandLine;
    }

    private static List<String> names(Class<?> command) {
        Command annotation = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(annotation.aliases()));
        names.add(annotation.name());
        return names;
    }

    /** {@code atelier --version}: the version of this build. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"atelier " + Version.current()};
        }
    }
}

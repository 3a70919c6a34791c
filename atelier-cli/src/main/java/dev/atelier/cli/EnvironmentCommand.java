package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code atelier environment ...}: versioned environments (a host executable, or a container image). */
@Command(name = "environment", description = "Create, list and show versioned environments.",
        subcommands = {EnvironmentCommand.CreateCommand.class, EnvironmentCommand.ListCommand.class, EnvironmentCommand.ShowCommand.class})
final class EnvironmentCommand {

    /** Exactly one of the two kinds. */
    static final class Kind {
        @Option(names = "--executable", required = true, paramLabel = "PROGRAM",
                description = "A process environment: the program on the compute host's PATH, such as python3 or java.")
        String executable;

        @Option(names = "--image", required = true, paramLabel = "IMAGE",
                description = "An image environment (Kubernetes): a container image reference.")
        String image;
    }

    @Command(name = "create", description = "Create an environment, or its next version.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Kind kind;

        @Option(names = "--requirements", paramLabel = "FILE", description = "A requirements.txt or conda file, recorded with the version.")
        Optional<Path> requirements = Optional.empty();

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        Optional<String> description = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            Optional<String> text = requirements.map(file -> {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw usageError("Invalid value for option '--requirements': cannot read " + file + " (" + e.getMessage() + ")");
                }
            });
            JsonNode environment = client.environments().create(name, kind.image != null ? "image" : "process",
                    Optional.ofNullable(kind.executable), Optional.ofNullable(kind.image), text, description);
            out.print(environment, "Created environment " + environment.path("name").asText() + ":" + environment.path("version").asText()
                    + ".");
        }
    }

    @Command(name = "list", description = "List environments (their latest versions).")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<JsonNode> environments = client.environments().list();
            Table table = Table.withHeaders("NAME", "VERSION", "KIND", "RUNS", "CREATED BY");
            environments.forEach(env -> table.row(env.path("name").asText(), env.path("version").asText(), env.path("kind").asText(),
                    env.has("image") ? env.path("image").asText() : env.path("executable").asText(), env.path("created_by").asText()));
            out.print(environments, table);
        }
    }

    @Command(name = "show", description = "Show an environment version (default: the latest).")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "N")
        Optional<Integer> version = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode env = client.environments().get(name, version);
            out.print(env, Table.details()
                    .row("Name:", env.path("name").asText())
                    .row("Version:", env.path("version").asText())
                    .row("Kind:", env.path("kind").asText())
                    .row("Executable:", env.path("executable").asText("-"))
                    .row("Image:", env.path("image").asText("-"))
                    .row("Description:", env.path("description").asText())
                    .row("Requirements:", env.has("requirements") ? env.path("requirements").asText().strip() : "-"));
        }
    }
}

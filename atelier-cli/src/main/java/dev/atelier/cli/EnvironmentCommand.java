package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.EnvironmentDocuments;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code atelier environment ...}: versioned environments (python with requirements, a host executable, or a container image). */
@Command(name = "environment", description = "Create, list and show versioned environments.",
        subcommands = {EnvironmentCommand.CreateCommand.class, EnvironmentCommand.ListCommand.class, EnvironmentCommand.ShowCommand.class,
                EnvironmentCommand.BuildLogCommand.class})
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

    @Command(name = "create", description = "Create an environment, or its next version: from a YAML file (Azure ML's fields: name, "
            + "version, description, tags, python with requirements or conda_file, or image), or from options.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The environment's name (overrides the file's).")
        String name;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The environment's YAML file; conda_file and a "
                + "requirements file it names are read from beside it.")
        Optional<Path> file = Optional.empty();

        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Kind kind;

        @Option(names = "--requirements", paramLabel = "FILE", description = "A requirements.txt or conda file, recorded with the version.")
        Optional<Path> requirements = Optional.empty();

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT")
        Optional<String> description = Optional.empty();

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode environment = file.isPresent() ? fromFile(client, file.get()) : fromOptions(client);
            out.print(environment, "Created environment " + environment.path("name").asText() + ":" + environment.path("version").asText()
                    + ".");
        }

        private JsonNode fromFile(AtelierClient client, Path path) {
            if (kind != null || requirements.isPresent()) {
                throw usageError("Give either --file or --executable/--image/--requirements, not both");
            }
            if (!Files.isRegularFile(path)) {
                throw usageError("Invalid value for option '--file': " + path + " is not a file");
            }
            ObjectNode document;
            try {
                document = EnvironmentDocuments.read(path);
                EnvironmentDocuments.uploadBuild(document, path.toAbsolutePath().getParent(), "", client.snapshots(),
                        new UploadProgressBar(spec.commandLine().getErr()));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
            if (name != null) {
                document.put("name", name);
            }
            description.ifPresent(text -> document.put("description", text));
            overrides.applyTo(this, document);
            if (!document.path("name").isTextual()) {
                throw usageError("The environment file " + path + " names no environment: add 'name:' or give NAME");
            }
            return client.environments().create(document);
        }

        private JsonNode fromOptions(AtelierClient client) {
            if (name == null || kind == null) {
                throw usageError("Give --file, or NAME with --executable or --image");
            }
            Optional<String> text = requirements.map(file -> {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw usageError("Invalid value for option '--requirements': cannot read " + file + " (" + e.getMessage() + ")");
                }
            });
            return client.environments().create(name, kind.image != null ? "image" : "process",
                    Optional.ofNullable(kind.executable), Optional.ofNullable(kind.image), text, description);
        }
    }

    @Command(name = "list", description = "List environments (their latest versions).")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Override
        void run(AtelierClient client, Output out) {
            List<JsonNode> environments = client.environments().list();
            Table table = Table.withHeaders("NAME", "VERSION", "KIND", "RUNS", "CREATED BY");
            environments.forEach(env -> table.row(env.path("name").asText(), env.path("version").asText(), env.path("kind").asText(),
                    env.path("build").isObject() ? "build " + env.path("build").path("dockerfile_path").asText()
                            : env.has("image") ? env.path("image").asText() : env.has("python") ? "python " + env.path("python").asText()
                            : env.has("executable") ? env.path("executable").asText() : "conda", env.path("created_by").asText()));
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
                    .row("Build:", env.path("build").isObject() ? env.path("build").path("context").asText() + ", "
                            + env.path("build").path("dockerfile_path").asText() : "-")
                    .row("Python:", env.path("python").asText("-"))
                    .row("Description:", env.path("description").asText())
                    .row("Requirements:", env.has("requirements") ? env.path("requirements").asText().strip() : "-")
                    .row("Conda file:", env.has("conda_file") ? env.path("conda_file").asText().strip() : "-"));
        }
    }

    @Command(name = "build-log", description = "Show a python environment's build: its state and log.")
    static final class BuildLogCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "N", description = "The version (default: the latest).")
        Optional<Integer> version = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            int chosen = version.orElseGet(() -> client.environments().get(name, Optional.empty()).path("version").asInt());
            JsonNode build = client.environments().build(name, chosen);
            out.print(build, "Build of " + name + ":" + chosen + ": " + build.path("state").asText().replace('_', ' ')
                    + (build.path("log").asText().isEmpty() ? "" : "\n" + build.path("log").asText().stripTrailing()));
        }
    }
}

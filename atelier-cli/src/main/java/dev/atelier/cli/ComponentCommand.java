package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Component;
import dev.atelier.sdk.ComponentDocuments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/** {@code atelier component ...}: registered, versioned components, which pipeline steps reference (docs/components.md). */
@Command(name = "component", description = "Register, list, show, archive and restore components.",
        subcommands = {ComponentCommand.CreateCommand.class, ComponentCommand.ListCommand.class, ComponentCommand.ShowCommand.class,
                ComponentCommand.ArchiveCommand.class, ComponentCommand.RestoreCommand.class})
final class ComponentCommand {

    @Command(name = "create", description = "Register a component version from its YAML file (Azure ML's fields: name, version, "
            + "type: command, code, environment, command, inputs, outputs, ...). Its code folder is uploaded first.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The component's YAML file.")
        Path file;

        @Mixin
        SetOverrides overrides;

        @Override
        void run(AtelierClient client, Output out) {
            if (!Files.isRegularFile(file)) {
                throw usageError("Invalid value for option '--file': " + file + " is not a file");
            }
            Component component;
            try {
                component = client.components().create(overrides.applyTo(ComponentDocuments.prepare(file, client.snapshots(),
                        new UploadProgressBar(spec.commandLine().getErr()))));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
            out.print(component.json(), "Registered component " + component.name() + ":" + component.version() + ". Reference it as "
                    + component.reference() + ".");
        }
    }

    @Command(name = "list", description = "List components (the latest version of each).")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Option(names = "--include-archived", description = "Also archived components and versions.")
        boolean includeArchived;

        @Override
        void run(AtelierClient client, Output out) {
            List<Component> components = client.components().list(includeArchived);
            Table table = includeArchived ? Table.withHeaders("NAME", "VERSION", "DESCRIPTION", "CREATED", "ARCHIVED")
                    : Table.withHeaders("NAME", "VERSION", "DESCRIPTION", "CREATED");
            components.forEach(component -> {
                if (includeArchived) {
                    table.row(component.name(), component.version(), component.description(), Output.time(component.createdAt()),
                            Output.yesNo(component.archived()));
                } else {
                    table.row(component.name(), component.version(), component.description(), Output.time(component.createdAt()));
                }
            });
            out.print(components.stream().map(Component::json).toList(), table);
        }
    }

    @Command(name = "show", description = "Show a component version (default: the latest not archived): its inputs, outputs, "
            + "command, code and environment.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "VERSION")
        Optional<String> version = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            Component component = client.components().get(name, version);
            Table details = Table.details()
                    .row("Name:", component.name())
                    .row("Version:", component.version())
                    .row("Display name:", component.displayName().isEmpty() ? "-" : component.displayName())
                    .row("Description:", component.description().isEmpty() ? "-" : component.description())
                    .row("Deterministic:", Output.yesNo(component.deterministic()))
                    .row("Archived:", Output.yesNo(component.archived()))
                    .row("Code:", component.code().orElse("-"))
                    .row("Environment:", component.environment().orElse("-"))
                    .row("Command:", component.command().strip())
                    .row("Created:", Output.time(component.createdAt()) + " by " + component.createdBy());
            Table inputs = Table.titled("Inputs:", "NAME", "TYPE", "DEFAULT", "OPTIONAL", "RANGE", "ENUM");
            component.document().path("inputs").properties().forEach(entry -> inputs.row(entry.getKey(), type(entry.getValue()),
                    entry.getValue().path("default").asText("-"), Output.yesNo(entry.getValue().path("optional").asBoolean(false)),
                    range(entry.getValue()), enumValues(entry.getValue())));
            Table outputs = Table.titled("Outputs:", "NAME", "TYPE", "DESCRIPTION");
            component.document().path("outputs").properties().forEach(entry -> outputs.row(entry.getKey(), type(entry.getValue()),
                    entry.getValue().path("description").asText("")));
            out.print(component.json(), details, inputs, outputs);
        }

        /** An input or output is a mapping with {@code type}, or (Azure's short form) just its type. */
        private static String type(JsonNode io) {
            return io.isTextual() ? io.asText() : io.path("type").asText();
        }

        private static String range(JsonNode input) {
            if (!input.has("min") && !input.has("max")) {
                return "-";
            }
            return "[" + input.path("min").asText("") + ", " + input.path("max").asText("") + "]";
        }

        private static String enumValues(JsonNode input) {
            if (!input.path("enum").isArray() || input.path("enum").isEmpty()) {
                return "-";
            }
            return StreamSupport.stream(input.path("enum").spliterator(), false).map(JsonNode::asText)
                    .collect(Collectors.joining(", "));
        }
    }

    @Command(name = "archive", description = "Archive a component (every version) or one version: lists and @latest skip it; "
            + "pipelines naming its version still run it.")
    static final class ArchiveCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "VERSION", description = "Only this version.")
        Optional<String> version = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            List<Component> archived = client.components().archive(name, version);
            out.print(archived.stream().map(Component::json).toList(), "Archived " + describe(name, archived) + ".");
        }
    }

    @Command(name = "restore", description = "Restore an archived component (every version) or one version.")
    static final class RestoreCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", paramLabel = "VERSION", description = "Only this version.")
        Optional<String> version = Optional.empty();

        @Override
        void run(AtelierClient client, Output out) {
            List<Component> restored = client.components().restore(name, version);
            out.print(restored.stream().map(Component::json).toList(), "Restored " + describe(name, restored) + ".");
        }
    }

    /** "component train (versions 2, 1)" or "component train:2". */
    private static String describe(String name, List<Component> versions) {
        if (versions.size() == 1) {
            return "component " + name + ":" + versions.getFirst().version();
        }
        return "component " + name + " (versions " + versions.stream().map(Component::version).collect(Collectors.joining(", ")) + ")";
    }
}

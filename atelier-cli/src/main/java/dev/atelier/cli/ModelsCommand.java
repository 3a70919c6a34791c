package dev.atelier.cli;

import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.ModelVersion;
import dev.atelier.sdk.ModelVersionDetail;
import dev.atelier.sdk.RegisteredModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code atelier models ...}: the model registry of one workspace. */
@Command(name = "models", aliases = "model", description = "List, show, register, alias, download and package registered models.",
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.ShowCommand.class, ModelsCommand.VersionsCommand.class,
                ModelsCommand.RegisterCommand.class, ModelsCommand.AliasCommand.class, ModelsCommand.ArchiveCommand.class,
                ModelsCommand.RestoreCommand.class, ModelDownloadCommand.class, ModelPackageCommand.class})
final class ModelsCommand {

    @Command(name = "list", description = "List registered models by name.")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Option(names = "--filter", paramLabel = "EXPRESSION", defaultValue = "",
                description = "MLflow registry filter, such as \"name LIKE 'fraud%'\" or \"tags.team = 'risk'\".")
        String filter;

        @Override
        void run(AtelierClient client, Output out) {
            List<RegisteredModel> models = client.models().list(filter);
            Table table = Table.withHeaders("NAME", "LATEST VERSIONS", "ALIASES", "UPDATED");
            models.forEach(model -> table.row(model.name(), latest(model.latestVersions()), aliases(model.aliases()),
                    Output.time(model.lastUpdatedTimestamp())));
            out.print(models.stream().map(RegisteredModel::json).toList(), table);
        }
    }

    @Command(name = "show", description = "Show a model with its versions, or one version (NAME/VERSION, NAME@ALIAS, models:/...) "
            + "with its lineage and files.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "MODEL", description = "NAME, or a version: NAME/VERSION, NAME@ALIAS, NAME/STAGE or a models:/ URI.")
        String model;

        @Override
        void run(AtelierClient client, Output out) {
            if (!ModelUris.namesVersion(model)) {
                RegisteredModel found = client.models().get(model);
                List<ModelVersion> versions = client.models().versions(model);
                Table details = Table.details().row("Name:", found.name()).row("Description:", found.description())
                        .row("Aliases:", aliases(found.aliases())).row("Created:", Output.time(found.creationTimestamp()))
                        .row("Updated:", Output.time(found.lastUpdatedTimestamp()));
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("registered_model", found.json());
                json.put("model_versions", versions.stream().map(ModelVersion::json).toList());
                out.print(json, details, versionTable("Versions:", versions));
                return;
            }
            ModelVersionDetail detail = client.models().resolve(ModelUris.of(model));
            ModelVersion version = detail.version();
            Table details = Table.details().row("Model:", version.name()).row("Version:", version.version())
                    .row("Status:", version.status() + version.statusMessage().map(message -> " (" + message + ")").orElse(""))
                    .row("Stage:", version.currentStage()).row("Aliases:", String.join(", ", version.aliases()))
                    .row("Source:", version.source()).row("Download URI:", detail.downloadUri().orElse(""))
                    .row("Run:", detail.lineage().runId().orElse("") + (detail.lineage().runId().isPresent()
                            && !detail.lineage().runAvailable() ? " (deleted)" : ""))
                    .row("Experiment:", detail.lineage().experimentName().orElse(""))
                    .row("Datasets:", String.join(", ", detail.lineage().datasets()))
                    .row("Flavors:", String.join(", ", flavorNames(detail)))
                    .row("Created:", Output.time(version.creationTimestamp()));
            Table files = Table.titled("Files:", "PATH", "SIZE");
            detail.files().forEach(file -> files.row(file.path(), file.size()));
            out.print(detail.json(), details, files);
        }

        private static List<String> flavorNames(ModelVersionDetail detail) {
            List<String> names = new java.util.ArrayList<>();
            detail.json().path("flavors").fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    @Command(name = "versions", description = "List the versions of a model, newest first.")
    static final class VersionsCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(AtelierClient client, Output out) {
            List<ModelVersion> versions = client.models().versions(name);
            out.print(versions.stream().map(ModelVersion::json).toList(), versionTable(null, versions));
        }
    }

    @Command(name = "register", aliases = "create", description = "Register the model at SOURCE as the next version of NAME (the model is created "
            + "when missing) and wait until its files are copied.")
    static final class RegisterCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "SOURCE", description = "runs:/RUN_ID/PATH, mlflow-artifacts:/PATH or models:/...")
        String source;

        @Option(names = "--run-id", paramLabel = "RUN_ID", description = "The run that produced the model (taken from a runs:/ source "
                + "when not given).")
        String runId;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag of the version; repeat for more.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
                description = "How long to wait for a large model's files to be copied (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Override
        void run(AtelierClient client, Output out) {
            Optional<String> run = Optional.ofNullable(runId).or(() -> ModelUris.runOf(source));
            ModelVersion created = client.models().register(name, source, run, Optional.ofNullable(description), tags);
            ModelVersion version = created.isPending()
                    ? client.models().awaitRegistration(name, created.version(), timeout, polled -> { })
                    : created;
            if (!ModelVersion.READY.equals(version.status())) {
                throw new AtelierException(ErrorCode.INVALID_STATE, "Registering " + name + " version " + version.version()
                        + " failed: " + version.statusMessage().orElse(version.status()));
            }
            out.print(version.json(), "Registered " + name + " version " + version.version() + " (" + version.status() + ").");
        }
    }

    @Command(name = "alias", description = "Point ALIAS of a model at VERSION, or delete it with --delete.")
    static final class AliasCommand extends WorkspaceScopedCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION", arity = "0..1")
        String version;

        @Option(names = "--delete", description = "Delete the alias instead.")
        boolean delete;

        @Override
        void run(AtelierClient client, Output out) {
            if (delete == (version != null)) {
                throw usageError("Give either VERSION or --delete.");
            }
            if (delete) {
                client.models().deleteAlias(name, alias);
                out.print(Output.mapper().createObjectNode(), "Deleted alias " + alias + " of " + name + ".");
                return;
            }
            client.models().setAlias(name, alias, version);
            out.print(Output.mapper().createObjectNode().put("name", name).put("alias", alias).put("version", version),
                    "Alias " + alias + " of " + name + " now points at version " + version + ".");
        }
    }

    /** {@code az ml model archive}: a version moves to MLflow's {@code Archived} stage, where MLflow's UI hides it too. */
    @Command(name = "archive", description = "Move a version (NAME/VERSION, NAME@ALIAS, models:/...) to the Archived stage.")
    static final class ArchiveCommand extends StageCommand {
        ArchiveCommand() {
            super("Archived", "Archived");
        }
    }

    /** {@code az ml model restore}: an archived version back to no stage. */
    @Command(name = "restore", description = "Move an archived version (NAME/VERSION, ...) back to no stage (None).")
    static final class RestoreCommand extends StageCommand {
        RestoreCommand() {
            super("None", "Restored");
        }
    }

    /** Moves the version MODEL names to one stage. */
    abstract static class StageCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "MODEL", description = "A version: NAME/VERSION, NAME@ALIAS or a models:/ URI.")
        String model;

        private final String stage;
        private final String done;

        StageCommand(String stage, String done) {
            this.stage = stage;
            this.done = done;
        }

        @Override
        void run(AtelierClient client, Output out) {
            if (!ModelUris.namesVersion(model)) {
                throw usageError("Name one version: " + model + "/VERSION (or -n " + model + " -v VERSION).");
            }
            ModelVersion found = client.models().resolve(ModelUris.of(model)).version();
            ModelVersion moved = client.models().transitionStage(found.name(), found.version(), stage);
            out.print(moved.json(), done + " version " + moved.version() + " of " + moved.name() + " (stage " + moved.currentStage() + ").");
        }
    }

    static Table versionTable(String title, List<ModelVersion> versions) {
        Table table = title == null ? Table.withHeaders("VERSION", "STAGE", "STATUS", "ALIASES", "RUN ID", "CREATED")
                : Table.titled(title, "VERSION", "STAGE", "STATUS", "ALIASES", "RUN ID", "CREATED");
        versions.forEach(version -> table.row(version.version(), version.currentStage(), version.status(),
                String.join(", ", version.aliases()), version.runId().orElse(""), Output.time(version.creationTimestamp())));
        return table;
    }

    private static String latest(List<ModelVersion> versions) {
        return versions.stream().map(version -> version.version() + " (" + version.currentStage() + ")").collect(Collectors.joining(", "));
    }

    private static String aliases(Map<String, String> aliases) {
        return aliases.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(", "));
    }

    /** Where {@code models download} puts a version when no folder is given: {@code ./<name>-<version>}. */
    static Path defaultFolder(ModelVersion version) {
        return Path.of(version.name().replaceAll("[^\\w.-]", "_") + "-" + version.version());
    }
}

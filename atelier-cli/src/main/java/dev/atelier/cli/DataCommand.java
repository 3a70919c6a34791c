package dev.atelier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atelier.api.AtelierException;
import dev.atelier.api.ErrorCode;
import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.DataAssetClient;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code atelier data ...}: versioned data assets (docs/data.md). {@code create} uploads a local
 * file or folder to the workspace's default datastore with a progress bar on stderr (resumable with
 * {@code --resume-upload}) or registers a {@code datastore://} path where it is.
 */
@Command(name = "data", description = "Create, list, show, download, archive and restore versioned data assets.",
        subcommands = {DataCommand.CreateCommand.class, DataCommand.ListCommand.class, DataCommand.ShowCommand.class,
                DataCommand.DownloadCommand.class, DataCommand.ArchiveCommand.class, DataCommand.RestoreCommand.class,
                DataCommand.DeleteCommand.class, DataCommand.LineageCommand.class})
final class DataCommand {

    @Command(name = "create", description = "Register a new version of a data asset and print it.")
    static final class CreateCommand extends WorkspaceScopedCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The data asset's name.")
        String name;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "uri_file, uri_folder or table (a CSV file, profiled).")
        String type;

        @Option(names = "--path", required = true, paramLabel = "PATH",
                description = "A local file or folder (uploaded), or datastore://<datastore>/<path> (registered where it is).")
        String path;

        @Option(names = {"-d", "--description"}, paramLabel = "TEXT", description = "What the data is.")
        Optional<String> description = Optional.empty();

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag; repeat for more.")
        Map<String, String> tags = new LinkedHashMap<>();

        @Option(names = "--resume-upload", paramLabel = "UPLOAD_ID", description = "Continue an upload that failed, by the id it printed.")
        Optional<String> resume = Optional.empty();

        @Option(names = "--no-progress", description = "Do not draw the upload progress bar.")
        boolean noProgress;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode created;
            if (path.startsWith("datastore://")) {
                created = client.data().create(name, type, path, false, description, tags);
            } else {
                Path local = Path.of(path);
                if (!Files.exists(local)) {
                    throw usageError("Invalid value for option '--path': no such file or folder: " + path);
                }
                String uploadId = resume.orElseGet(() -> client.data().startUpload(local));
                java.io.PrintWriter notes = spec.commandLine().getErr();
                notes.println("Uploading " + local + " (upload " + uploadId + "; after a failure, resume with --resume-upload "
                        + uploadId + ")");
                notes.flush();
                try {
                    upload(client.data(), uploadId, local);
                    created = client.data().create(name, type, uploadId, true, description, tags);
                } catch (AtelierException e) {
                    if (e.errorCode() == ErrorCode.RESOURCE_EXPIRED && resume.isPresent()) {
                        throw new AtelierException(e.errorCode(), e.getMessage() + " Run the command again without --resume-upload.", e);
                    }
                    throw e;
                }
            }
            out.print(created, "Created data asset '" + created.path("name").asText() + "' version "
                    + created.path("version").asInt() + " (" + created.path("reference").asText() + ").");
        }

        /** The bar is drawn on the process's standard error, where a terminal shows it. */
        private void upload(DataAssetClient data, String uploadId, Path local) {
            if (noProgress) {
                data.upload(uploadId, local, (done, total) -> { });
                return;
            }
            PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Upload").setUnit("MiB", 1024 * 1024)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).showSpeed().build()) {
                data.upload(uploadId, local, (done, total) -> {
                    bar.maxHint(total);
                    bar.stepTo(done);
                });
            }
        }
    }

    @Command(name = "list", description = "List data assets (their latest versions).")
    static final class ListCommand extends WorkspaceScopedCommand {
        @Option(names = "--include-archived", description = "Include archived versions.")
        boolean includeArchived;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode list = client.data().list(includeArchived);
            Table table = Table.withHeaders("NAME", "VERSION", "TYPE", "DATASTORE", "SIZE", "CREATED");
            list.forEach(version -> table.row(version.path("name").asText(), version.path("version").asInt(),
                    version.path("type").asText(), version.path("datastore").asText(), version.path("size_bytes").asLong(),
                    Output.time(version.path("created_at").asLong())));
            out.print(list, table);
        }
    }

    @Command(name = "show", description = "Show one version (NAME@latest or NAME:VERSION), with its profile for tables.")
    static final class ShowCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "REFERENCE")
        String reference;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode version = client.data().get(reference);
            Table details = Table.details()
                    .row("Name:", version.path("name").asText())
                    .row("Version:", version.path("version").asInt())
                    .row("Reference:", version.path("reference").asText())
                    .row("Type:", version.path("type").asText())
                    .row("URI:", version.path("uri").asText())
                    .row("Digest:", version.path("digest").asText())
                    .row("Size:", version.path("size_bytes").asLong() + " bytes in " + version.path("file_count").asInt() + " file(s)")
                    .row("Archived:", Output.yesNo(version.path("archived").asBoolean()))
                    .row("Description:", version.path("description").asText());
            JsonNode profile = version.path("profile");
            if (profile.isMissingNode()) {
                out.print(version, details);
                return;
            }
            details.row("Rows:", profile.path("row_count").asLong());
            Table columns = Table.withHeaders("COLUMN", "TYPE", "MISSING", "DISTINCT", "MIN", "MAX", "MEAN");
            profile.path("columns").forEach(column -> columns.row(column.path("name").asText(), column.path("type").asText(),
                    column.path("missing").asLong(), column.path("distinct_estimate").asLong(), column.path("min").asText(""),
                    column.path("max").asText(""), column.path("mean").asText("")));
            out.print(version, details, columns);
        }
    }

    @Command(name = "download", description = "Download the files of a version into a folder.")
    static final class DownloadCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "REFERENCE")
        String reference;

        @Option(names = "--to", paramLabel = "DIR", defaultValue = ".", description = "Target folder (default: the current one).")
        Path target;

        @Override
        void run(AtelierClient client, Output out) {
            List<Path> files = client.data().download(reference, target.toAbsolutePath().normalize());
            out.print(files.stream().map(Path::toString).toList(), "Downloaded " + files.size() + " file(s) to " + target + ".");
        }
    }

    @Command(name = "archive", description = "Archive a version: hidden from lists and @latest, still usable by number.")
    static final class ArchiveCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "REFERENCE")
        String reference;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode version = client.data().archive(reference, true);
            out.print(version, "Archived " + version.path("reference").asText() + ".");
        }
    }

    @Command(name = "restore", description = "Restore an archived version.")
    static final class RestoreCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "REFERENCE")
        String reference;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode version = client.data().archive(reference, false);
            out.print(version, "Restored " + version.path("reference").asText() + ".");
        }
    }

    @Command(name = "delete", description = "Delete a version (one that runs used needs --force; its lineage is kept).")
    static final class DeleteCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "REFERENCE")
        String reference;

        @Option(names = "--force", description = "Delete even when runs used it.")
        boolean force;

        @Override
        void run(AtelierClient client, Output out) {
            client.data().delete(reference, force);
            out.print(Map.of("deleted", reference), "Deleted " + reference + ".");
        }
    }

    @Command(name = "lineage", description = "Show the runs that read or produced a version and the models trained on it.")
    static final class LineageCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "REFERENCE")
        String reference;

        @Override
        void run(AtelierClient client, Output out) {
            JsonNode lineage = client.data().lineage(reference);
            Table runs = Table.withHeaders("RUN", "DIRECTION", "SOURCE");
            lineage.path("runs").forEach(use -> runs.row(use.path("run_id").asText(), use.path("direction").asText(),
                    use.path("source").asText()));
            Table models = Table.withHeaders("MODEL", "VERSION", "RUN");
            lineage.path("models").forEach(model -> models.row(model.path("name").asText(), model.path("version").asText(),
                    model.path("run_id").asText()));
            out.print(lineage, runs, models);
        }
    }
}

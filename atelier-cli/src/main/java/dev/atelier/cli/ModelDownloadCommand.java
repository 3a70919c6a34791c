package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.ModelDownload;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * {@code atelier models download MODEL [--dir DIR]}: the files of a model version, with a progress
 * bar on stderr when it is a terminal (scripts and pipes get only the result).
 */
@Command(name = "download", description = "Download the files of a model version (NAME/VERSION, NAME@ALIAS, NAME/STAGE, "
        + "models:/..., or NAME for its newest version).")
final class ModelDownloadCommand extends WorkspaceScopedCommand {
    @Parameters(paramLabel = "MODEL")
    String model;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", description = "Folder to download into (default: ./NAME-VERSION).")
    Path directory;

    @Override
    void run(AtelierClient client, Output out) {
        String uri = ModelUris.of(model);
        Path target = directory != null ? directory : ModelsCommand.defaultFolder(client.models().resolve(uri).version());
        boolean interactive = System.console() != null && output == OutputFormat.TABLE;
        ModelDownload download;
        if (interactive) {
            try (BarProgress progress = new BarProgress(spec.commandLine().getErr(), uri)) {
                download = client.models().download(uri, target, progress);
            }
        } else {
            download = client.models().download(uri, target, ModelDownload.Progress.NONE);
        }
        out.print(Output.mapper().createObjectNode().put("name", download.version().name()).put("version", download.version().version())
                        .put("directory", download.directory().toString()).put("files", download.files()).put("bytes", download.bytes()),
                "Downloaded " + download.version().name() + " version " + download.version().version() + ": " + download.files()
                        + " files, " + download.bytes() + " bytes, into " + download.directory() + ".");
    }

    /** A progress bar in MiB drawn on the command's stderr. */
    private static final class BarProgress implements ModelDownload.Progress, AutoCloseable {
        private final PrintWriter err;
        private final String task;
        private ProgressBar bar;

        BarProgress(PrintWriter err, String task) {
            this.err = err;
            this.task = task;
        }

        @Override
        public void start(long totalBytes) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalBytes).setUnit(" MiB", 1024 * 1024)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new DelegatingProgressBarConsumer(line -> {
                        err.print('\r' + line);
                        err.flush();
                    }))
                    .build();
        }

        @Override
        public void advance(long bytes) {
            bar.stepBy(bytes);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                err.println();
            }
        }
    }
}

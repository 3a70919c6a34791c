package dev.atelier.cli;

import dev.atelier.sdk.AtelierClient;
import dev.atelier.sdk.Job;
import dev.atelier.sdk.NotebookJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code atelier notebook run}: runs a Jupyter notebook as a command job (docs/jobs.md, "Notebooks as jobs"); the
 * executed notebook is kept as the run's artifact {@code outputs/<file name>}.
 */
@Command(name = "notebook", description = "Run Jupyter notebooks as jobs.", subcommands = NotebookCommand.RunCommand.class)
final class NotebookCommand {
    @Command(name = "run", description = "Run every cell of a notebook as a command job; the executed notebook becomes the run's "
            + "outputs/<file name>. The notebook's folder is uploaded as the job's code.")
    static final class RunCommand extends WorkspaceScopedCommand {
        @Parameters(paramLabel = "FILE", description = "The notebook (.ipynb).")
        Path notebook;

        @Option(names = "--compute", paramLabel = "NAME", description = "Compute target (default: the server's, local).")
        Optional<String> compute = Optional.empty();

        @Option(names = "--environment", paramLabel = "NAME[:VERSION]", description = "Environment to run in; it needs nbclient, "
                + "nbformat and ipykernel (default: the target's own python3).")
        Optional<String> environment = Optional.empty();

        @Option(names = "--experiment-name", paramLabel = "NAME", description = "Experiment of the job's run (default: Default).")
        Optional<String> experimentName = Optional.empty();

        @Option(names = "--stream", description = "Print the job's log until it ends, then its status; exit 5 unless it completed.")
        boolean stream;

        @Override
        void run(AtelierClient client, Output out) {
            Job job;
            try {
                job = client.jobs().create(NotebookJobs.prepare(notebook, compute, environment, experimentName, client.snapshots(),
                        new UploadProgressBar(spec.commandLine().getErr())));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw usageError(e.getMessage());
            }
            JobCommand.submitted(client, job, stream, logWriter(), out);
        }
    }
}

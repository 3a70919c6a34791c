package dev.atelier.sdk;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Builds the command job that runs a Jupyter notebook (docs/jobs.md, "Notebooks as jobs"): the notebook's folder is
 * uploaded as the job's code snapshot, and the command executes every cell in order with Jupyter's own executor
 * ({@code nbclient} and {@code nbformat}, with the notebook's kernel, Debian's {@code python3-nbclient} and
 * {@code python3-ipykernel} on a bare {@code local} target). The executed notebook is written to
 * {@code outputs/<file name>} whether or not a cell fails, so it becomes a run artifact either way; the first failing
 * cell stops the run and the command exits non-zero, which fails the job. Stateless.
 */
public final class NotebookJobs {
    /**
     * The executor, run as {@code python3 -c}: no single quote and no {@code $} in it, so that the shell passes it
     * as is. The kernel starts in the job's working directory (the notebook's folder), as in Jupyter.
     */
    static final String EXECUTOR = """
            import os, sys, nbformat, nbclient
            path = sys.argv[1]
            notebook = nbformat.read(path, as_version=4)
            count = len(notebook.cells)
            def started(cell, cell_index):
                print("[notebook] cell %d of %d (%s)" % (cell_index + 1, count, cell.cell_type), flush=True)
            os.makedirs("outputs", exist_ok=True)
            try:
                nbclient.NotebookClient(notebook, timeout=None, on_cell_start=started, resources={"metadata": {"path": "."}}).execute()
            finally:
                nbformat.write(notebook, os.path.join("outputs", os.path.basename(path)))
                print("[notebook] executed notebook saved as outputs/" + os.path.basename(path), flush=True)
            """;

    private NotebookJobs() {
    }

    /**
     * Uploads the folder of {@code notebook} through {@code snapshots} and returns the job document to submit.
     *
     * @throws IllegalArgumentException when {@code notebook} is not an existing {@code .ipynb} file, its name holds
     *                                  {@code ${{} (a binding of the job's command), or its folder's ignore file leaves it out
     */
    public static ObjectNode prepare(Path notebook, Optional<String> compute, Optional<String> environment, Optional<String> experimentName,
                                     SnapshotClient snapshots, UploadProgress progress) {
        requireNonNull(notebook, "notebook is null");
        Path file = notebook.toAbsolutePath().normalize();
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (!name.endsWith(".ipynb")) {
            throw new IllegalArgumentException("Invalid value for 'notebook': " + notebook + " is not a .ipynb file");
        }
        if (name.contains("${{")) {
            throw new IllegalArgumentException("Invalid value for 'notebook': " + notebook + " has '${{' in its name");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Invalid value for 'notebook': " + notebook + " is not a file");
        }
        if (IgnoreRules.parse(CodeFolder.ignoreLines(file.getParent())).ignored(name, false)) {
            throw new IllegalArgumentException("Invalid value for 'notebook': " + notebook + " is left out of its folder's snapshot by "
                    + "its .amlignore or .gitignore, so the job could not open it");
        }
        ObjectNode job = JsonNodeFactory.instance.objectNode();
        job.put("type", "command");
        job.put("display_name", name);
        experimentName.ifPresent(experiment -> job.put("experiment_name", experiment));
        job.put("code", "snapshot:" + snapshots.upload(file.getParent(), progress));
        job.put("command", command(name));
        environment.ifPresent(value -> job.put("environment", value));
        compute.ifPresent(value -> job.put("compute", value));
        // The kernel's debugger otherwise warns about frozen modules on every start, into the job's log.
        job.putObject("environment_variables").put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        return job;
    }

    /** The job's command for the notebook {@code fileName} in the working directory. */
    static String command(String fileName) {
        return "python3 -c " + quote(EXECUTOR) + " " + quote(fileName);
    }

    /** One shell word holding exactly {@code value} (POSIX single quotes, a quote written {@code '\''}). */
    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}

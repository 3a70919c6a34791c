package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.uploads.InsufficientStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * What a job's pod sends and fetches over HTTP, with the job's token (docs/jobs.md, "Kubernetes"):
 * at its end the gzip'd tar of its {@code outputs/} folder, stored into the run's artifacts under
 * {@code outputs/}; before it starts, each {@code download}-mode data input as a zip. Both only while
 * the job is Preparing or Running. Files pass through a private temporary folder under {@code scratch},
 * removed before the call returns (an archive is unpacked whole before anything is stored, so a corrupt
 * one stores nothing). Thread-safe.
 */
public final class JobTransfers {
    private final JobService jobs;
    private final JobRuns runs;
    private final JobOutputs outputs;
    private final JobData data;
    private final Path scratch;
    private final long maxOutputBytes;

    /** @param maxOutputBytes most bytes of unpacked output files one archive may hold (the snapshot size limit) */
    JobTransfers(JobService jobs, JobRuns runs, JobOutputs outputs, JobData data, Path scratch, long maxOutputBytes) {
        this.jobs = requireNonNull(jobs, "jobs is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.outputs = requireNonNull(outputs, "outputs is null");
        this.data = requireNonNull(data, "data is null");
        this.scratch = requireNonNull(scratch, "scratch is null");
        this.maxOutputBytes = maxOutputBytes;
    }

    /**
     * Stores the outputs archive of a running job into its run's artifacts; returns the paths stored,
     * relative to {@code outputs/}.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST for an unknown job, INVALID_STATE when it is not running,
     *                          INVALID_PARAMETER_VALUE for a corrupt or escaping archive, PAYLOAD_TOO_LARGE past the limit
     */
    public List<String> receiveOutputs(String workspace, String name, InputStream gzipTar) {
        Job job = active(workspace, name, "outputs");
        Optional<String> root = ArtifactRoot.of(runs.artifactUri(workspace, job.runId()));
        if (root.isEmpty()) {
            throw AtelierException.invalidState("The run of job '" + name + "' stores its artifacts outside Atelier; outputs cannot be "
                    + "uploaded to it");
        }
        Path folder = temporaryFolder("outputs-");
        try {
            List<String> files = OutputArchive.unpack(gzipTar, folder, maxOutputBytes);
            outputs.uploadFolder(workspace, root.get(), folder);
            // Outputs with a path (a pipeline step's) are stored there too; a missing one fails the job as it would locally.
            CommandSpec command = JobDocument.parseCommand(job.spec()).command();
            for (var output : command.outputPaths().entrySet()) {
                data.storeOutput(workspace, folder.resolve(output.getKey()), command.outputs().get(output.getKey()), output.getValue());
            }
            return files;
        } catch (IOException e) {
            throw InsufficientStorage.of(e, "the outputs of job '" + name + "'");
        } finally {
            delete(folder);
        }
    }

    /**
     * Downloads a {@code download}-mode data input of a job into a temporary folder, for
     * {@link Download#writeZip}; the caller closes it.
     *
     * @throws AtelierException RESOURCE_DOES_NOT_EXIST for an unknown job or input, INVALID_PARAMETER_VALUE
     *                          for an input that is not a data input in download mode, INVALID_STATE when the job
     *                          is not running
     */
    public Download downloadInput(String workspace, String name, String input) {
        Job job = active(workspace, name, "inputs");
        JobInput declared = JobDocument.parseCommand(job.spec()).command().inputs().get(input);
        if (declared == null) {
            throw AtelierException.notFound("Job '" + name + "' has no input '" + input + "'");
        }
        if (!(declared instanceof JobInput.Stored stored) || stored.mode() != JobInput.Mode.DOWNLOAD) {
            throw AtelierException.invalidParameter("Invalid input '" + input + "' of job '" + name + "': only data inputs "
                    + "(data assets, datastore paths) in download mode are served here");
        }
        JobData.Resolved resolved = data.resolve(workspace, "inputs." + input + ".path", stored.path(), stored.type());
        Path folder = temporaryFolder("input-");
        try {
            data.download(workspace, resolved, folder);
            return new Download(folder);
        } catch (IOException | RuntimeException e) {
            delete(folder);
            if (e instanceof IOException io) {
                throw InsufficientStorage.of(io, "input '" + input + "' of job '" + name + "'");
            }
            throw (RuntimeException) e;
        }
    }

    /** A downloaded input: {@link #writeZip} sends it, {@link #close} removes it. Not thread-safe. */
    public static final class Download implements AutoCloseable {
        private final Path folder;

        private Download(Path folder) {
            this.folder = folder;
        }

        /** Every regular file below the folder, by its relative path; symbolic links are not followed. */
        public void writeZip(OutputStream out) throws IOException {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                files = walk.filter(path -> Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Path file : files) {
                    zip.putNextEntry(new ZipEntry(folder.relativize(file).toString().replace(java.io.File.separatorChar, '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
        }

        @Override
        public void close() {
            delete(folder);
        }
    }

    private Job active(String workspace, String name, String what) {
        Job job = jobs.get(workspace, name);
        if (job.status() != JobStatus.PREPARING && job.status() != JobStatus.RUNNING) {
            throw AtelierException.invalidState("Job '" + name + "' is " + job.status().wireName() + ": its " + what
                    + " are transferred only while it runs");
        }
        return job;
    }

    private Path temporaryFolder(String prefix) {
        try {
            Files.createDirectories(scratch);
            return Files.createTempDirectory(scratch, prefix);
        } catch (IOException e) {
            throw InsufficientStorage.of(e, "a temporary folder");
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove the temporary folder " + folder, e);
        }
    }
}

package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.local.LocalCompute;
import dev.atelier.server.compute.local.PreparedEnvironment;
import dev.atelier.server.compute.local.ProcessTree;
import dev.atelier.server.compute.local.Workload;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentKind;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One command job running as a local workload ({@link LocalCompute}: sandboxed, clean environment), in its own folder
 * {@code <jobs dir>/<workspace>/<job>} outside the data directory, working directory {@code wd} (the code snapshot's
 * copy). Runs on its own thread: prepares, starts {@code /bin/sh -c <command>}, streams stdout and stderr into the job's log,
 * enforces {@code limits.timeout}, and on any end uploads outputs and log and records the result.
 * Thread-safe: {@link #stop} may be called from any thread.
 */
final class LocalJobRun extends RunningJob implements Runnable {
    private static final long POLL_MILLIS = 200;

    private final Job job;
    private final JobSpec spec;
    private final JobExecution execution;
    private final Path jobDir;
    private final LocalCompute local;
    private final JobLogSink log;
    /** What each data asset or datastore input binds to (a local path, or a URI in direct mode); filled by prepare. */
    private final Map<String, String> dataInputs = new HashMap<>();
    /** Issue 13 (environments): the built python environment the job runs in, when it names one; filled by prepare. */
    private Optional<PreparedEnvironment> preparedEnvironment = Optional.empty();

    LocalJobRun(Job job, JobExecution execution, Path jobsRoot, LocalCompute local) {
        this.job = requireNonNull(job, "job is null");
        this.spec = JobDocument.parse(job.spec());
        this.execution = requireNonNull(execution, "execution is null");
        this.jobDir = jobsRoot.resolve(job.workspace()).resolve(job.name());
        this.local = requireNonNull(local, "local is null");
        this.log = new JobLogSink(execution.store(), job.workspace(), job.name());
    }

    @Override
    Job job() {
        return job;
    }



    @Override
    public void run() {
        Outcome outcome;
        Optional<RunCredentials.Issued> token = Optional.empty();
        Path workingDir = jobDir.resolve("wd");
        try {
            JobLaunch launch = prepare(workingDir);
            token = launch.token();
            outcome = stopStatus() != null ? new Outcome(stopStatus(), null, stopReason()) : execute(launch, workingDir);
            if (outcome.status() == JobStatus.COMPLETED) {
                outcome = registerOutputs(workingDir.resolve("outputs"), outcome);
            }
        } catch (AtelierException e) {
            outcome = new Outcome(JobStatus.FAILED, null, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // Whatever goes wrong, the job must end recorded: a runner that died silently would hold its lease forever.
            outcome = new Outcome(JobStatus.FAILED, null, "Could not run the job: " + e);
        }
        log.add("system", "[atelier] " + outcome.status().wireName() + (outcome.reason() == null ? "" : ": " + outcome.reason()));
        log.flush();
        try {
            execution.uploadOutputs(job, workingDir.resolve("outputs"), log.text());
        } catch (IOException | RuntimeException e) {
            outcome = outcome.status() == JobStatus.COMPLETED
                    ? new Outcome(JobStatus.FAILED, outcome.exitCode(), "Could not upload the outputs: " + e.getMessage()) : outcome;
        }
        execution.finishAndRevoke(job, token, outcome.status(), outcome.exitCode(), outcome.reason());
        deleteQuietly(jobDir);
        markDone();
    }

    private JobLaunch prepare(Path workingDir) throws IOException {
        local.checkAllowed();
        deleteQuietly(jobDir);
        Files.createDirectories(workingDir);
        spec.command().codeSnapshot().ifPresent(id -> execution.snapshots().materialize(job.workspace(), id, workingDir));
        Path inputs = jobDir.resolve("inputs");
        Map<String, JobData.Resolved> stored = execution.dataInputs(job, spec);
        for (var entry : spec.command().inputs().entrySet()) {
            if (entry.getValue() instanceof JobInput.Data data) {
                execution.snapshots().materialize(job.workspace(), data.snapshotId(), inputs.resolve(entry.getKey()));
            } else if (entry.getValue() instanceof JobInput.Stored input) {
                JobData.Resolved resolved = stored.get(entry.getKey());
                dataInputs.put(entry.getKey(), input.mode() == JobInput.Mode.DOWNLOAD
                        ? execution.data().download(job.workspace(), resolved, inputs.resolve(entry.getKey())).toString()
                        : execution.data().directUri(job.workspace(), resolved));
            }
        }
        Path outputs = workingDir.resolve("outputs");
        Files.createDirectories(outputs);
        for (var output : spec.command().outputs().entrySet()) {
            if (output.getValue().equals("uri_folder")) {
                Files.createDirectories(outputs.resolve(output.getKey()));
            }
        }
        JobLaunch launch = execution.launch(job, spec, name -> inputPath(inputs, name), name -> outputs.resolve(name).toString());
        // Issue 13 (environments): a python environment is built here (or reused); execute() runs the job in it.
        launch.environment().filter(env -> env.kind() == EnvironmentKind.PROCESS).ifPresent(this::checkExecutable);
        preparedEnvironment = launch.environment().filter(env -> env.kind() != EnvironmentKind.PROCESS)
                .map(env -> local.environments().prepare(env, line -> log.add("system", line)));
        return launch;
    }

    private String inputPath(Path inputs, String name) {
        if (dataInputs.containsKey(name)) {
            return dataInputs.get(name);
        }
        JobInput.Data data = (JobInput.Data) spec.command().inputs().get(name);
        Path folder = inputs.resolve(name);
        return data.file().map(file -> folder.resolve(file).toString()).orElse(folder.toString());
    }

    /** Registers the outputs named as data assets; the first that cannot be registered fails the job (earlier ones stay). */
    private Outcome registerOutputs(Path outputs, Outcome completed) {
        for (var entry : spec.command().outputAssets().entrySet()) {
            String name = entry.getKey();
            try {
                String reference = execution.data().registerOutput(job.workspace(), outputs.resolve(name),
                        spec.command().outputs().get(name), entry.getValue(), job.runId(), "job:" + job.name(), job.createdBy());
                log.add("system", "[atelier] Registered outputs." + name + " as " + reference);
            } catch (IOException | RuntimeException e) {
                return new Outcome(JobStatus.FAILED, completed.exitCode(), "Could not register outputs." + name + " as data asset '"
                        + entry.getValue().name() + "': " + e.getMessage());
            }
        }
        return completed;
    }

    /** A process environment's executable must be on the workloads' PATH (or an absolute path they see). */
    private void checkExecutable(Environment environment) {
        if (environment.kind() != EnvironmentKind.PROCESS) {
            throw AtelierException.invalidParameter("Environment " + environment.reference() + " is not a process environment");
        }
        String executable = environment.executable().orElseThrow();
        if (!local.canRun(executable)) {
            throw AtelierException.invalidParameter("Environment " + environment.reference() + " needs '" + executable
                    + "', which local workloads cannot run: it is not on their PATH (" + LocalCompute.PATH
                    + ") or, as an absolute path, not in a system folder");
        }
    }

    private Outcome execute(JobLaunch launch, Path workingDir) throws IOException {
        log.add("system", "[atelier] Starting: " + launch.command());
        Workload workload = new Workload("job " + job.name(), Workload.Kind.RUN_TO_COMPLETION,
                List.of("/bin/sh", "-c", launch.command()), jobDir, workingDir, launch.variables(), List.of());
        // Issue 13 (environments): the python environment's bin first on PATH, its folder bound read-only.
        Process process = local.start(preparedEnvironment.map(prepared -> prepared.applyTo(workload)).orElse(workload));
        long startNanos = System.nanoTime();
        execution.markRunning(job);
        Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), "stdout"));
        Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), "stderr"));
        Optional<Long> timeout = spec.command().timeoutSeconds();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                log.flush();
                if (stopStatus() != null) {
                    ProcessTree.kill(process);
                    joinQuietly(out, err);
                    return new Outcome(stopStatus(), null, stopReason());
                }
                if (timeout.isPresent() && System.nanoTime() - startNanos > TimeUnit.SECONDS.toNanos(timeout.get())) {
                    ProcessTree.kill(process);
                    joinQuietly(out, err);
                    return new Outcome(JobStatus.FAILED, null, "Timed out: still running after limits.timeout of " + timeout.get() + " s");
                }
            }
        } catch (InterruptedException e) {
            ProcessTree.kill(process);
            Thread.currentThread().interrupt();
            return new Outcome(JobStatus.FAILED, null, "The server shut down while the job was running");
        }
        joinQuietly(out, err);
        int exit = process.exitValue();
        if (stopStatus() != null) {
            return new Outcome(stopStatus(), exit, stopReason());
        }
        return exit == 0 ? new Outcome(JobStatus.COMPLETED, 0, null) : new Outcome(JobStatus.FAILED, exit, "Exit code " + exit);
    }

    private void pump(InputStream stream, String name) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                log.add(name, line);
            }
        } catch (IOException e) {
            log.add("system", "[atelier] " + name + " closed: " + e.getMessage());
        }
    }

    private static void joinQuietly(Thread... threads) {
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // A working directory left behind costs disk space only; the next run of that job name starts by deleting it.
        }
    }

    private record Outcome(JobStatus status, Integer exitCode, String reason) {
    }
}

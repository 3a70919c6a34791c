package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.automl.AutoMlResults;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.Placement;
import dev.atelier.server.compute.RunHandle;
import dev.atelier.server.compute.RunListener;
import dev.atelier.server.compute.RunOutcome;
import dev.atelier.server.compute.RunSpec;
import dev.atelier.server.compute.Staged;
import dev.atelier.server.compute.WorkloadId;
import dev.atelier.server.compute.Workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * One command job (or sweep trial) running as a workload on its compute target, whatever the target's kind: builds
 * the {@link RunSpec} (command bound to the target's {@link Placement}, variables and token, code and inputs to stage)
 * on its own virtual thread, hands it to {@link Workloads}, and records what it hears: running, log lines, and the
 * end (outputs registered and uploaded, token revoked, job and run finished). Thread-safe: {@link #stop} may be
 * called from any thread; the scheduler calls {@link #poll} to write buffered log lines.
 */
final class ComputeJobRun extends RunningJob implements RunListener {
    static final String OWNER = "job";

    private final Job job;
    private final ComputeTarget target;
    private final JobExecution execution;
    private final Workloads workloads;
    private final JobLogSink log;
    private volatile RunHandle handle;
    private volatile JobSpec.WithCommand spec;

    ComputeJobRun(Job job, ComputeTarget target, JobExecution execution, Workloads workloads) {
        this.job = requireNonNull(job, "job is null");
        this.target = requireNonNull(target, "target is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.log = new JobLogSink(execution.store(), job.workspace(), job.name());
    }

    static WorkloadId workloadId(Job job) {
        return new WorkloadId(job.workspace(), OWNER, job.name());
    }

    @Override
    Job job() {
        return job;
    }

    /** Prepares and launches on a virtual thread; returns at once. */
    ComputeJobRun start() {
        Thread.ofVirtual().name("job-" + job.name()).start(() -> {
            try {
                RunSpec run = describe();
                if (stopStatus() != null) {
                    ended(new RunOutcome.Stopped(java.util.OptionalInt.empty()), Optional.empty());
                    return;
                }
                handle = workloads.launch(target, run, this);
                if (stopStatus() != null) {
                    handle.stop();
                }
            } catch (AtelierException e) {
                ended(RunOutcome.failed(e.getMessage()), Optional.empty());
            } catch (RuntimeException e) {
                // Whatever goes wrong, the job must end recorded: a runner that died silently would hold its lease forever.
                ended(RunOutcome.failed("Could not run the job: " + e), Optional.empty());
            }
        });
        return this;
    }

    /** Watches a job a previous server process started, when its target still has it; false when it is gone. */
    boolean reattach() {
        spec = JobDocument.parseCommand(job.spec());
        Instant lastLine = Instant.ofEpochMilli(execution.store().lastLogAt(job.workspace(), job.name()));
        Optional<RunHandle> found = workloads.reattach(target, workloadId(job), lastLine, this);
        found.ifPresent(h -> handle = h);
        return found.isPresent();
    }

    @Override
    void stopRequested() {
        RunHandle current = handle;
        if (current != null) {
            current.stop();
        }
    }

    /**
     * Leaves a workload that outlives the server (a pod) running, unrecorded: its lease expires and the next server
     * re-attaches to it. Others end as failed.
     */
    @Override
    void shutdown(JobExecution execution) {
        RunHandle current = handle;
        if (current != null && current.detach()) {
            log.add("system", "[atelier] The server stopped; the job keeps running on compute '" + target.name()
                    + "' and the next server to start takes it over");
            log.flush();
            markDone();
            return;
        }
        super.shutdown(execution);
    }

    @Override
    void poll() {
        log.flush();
    }

    private RunSpec describe() {
        JobSpec.WithCommand parsed = JobDocument.parseCommand(job.spec());
        spec = parsed;
        CommandSpec command = parsed.command();
        WorkloadId id = workloadId(job);
        Placement placement = workloads.placement(target, id);
        Map<String, JobData.Resolved> stored = execution.dataInputs(job, parsed);
        List<Staged> staged = new ArrayList<>();
        String snapshots = "/api/v1/snapshots/";
        command.codeSnapshot().ifPresent(snapshot -> staged.add(new Staged.Code(
                folder -> execution.snapshots().materialize(job.workspace(), snapshot, folder), snapshots + snapshot + "/zip")));
        command.inputs().forEach((name, input) -> {
            switch (input) {
                case JobInput.Data data -> staged.add(new Staged.Input(name,
                        folder -> execution.snapshots().materialize(job.workspace(), data.snapshotId(), folder),
                        snapshots + data.snapshotId() + "/zip"));
                case JobInput.Stored data when data.mode() == JobInput.Mode.DOWNLOAD -> staged.add(new Staged.Input(name,
                        folder -> download(stored.get(name), folder), "/api/v1/jobs/" + job.name() + "/inputs/" + name + "/zip"));
                case JobInput.Stored data -> { }
                case JobInput.Literal literal -> { }
            }
        });
        kindFiles(parsed, name -> inputPath(parsed, placement, stored, name)).ifPresent(staged::add);
        JobLaunch launch = execution.launch(job, parsed, name -> inputPath(parsed, placement, stored, name), placement::output,
                placement.serverUrl());
        Set<String> secret = new HashSet<>(command.secrets().keySet());
        launch.token().ifPresent(issued -> secret.add(JobLaunch.TOKEN_VARIABLE));
        List<String> folders = command.outputs().entrySet().stream().filter(output -> output.getValue().equals("uri_folder"))
                .map(Map.Entry::getKey).toList();
        return new RunSpec(id, launch.command(), launch.variables(), secret, launch.token().map(RunCredentials.Issued::secret),
                launch.environment(), staged, folders, Optional.of("/api/v1/jobs/" + job.name() + "/outputs"), command.timeoutSeconds().map(Duration::ofSeconds), command.cpu(), command.memory());
    }

    /**
     * What a kind writes into the working directory besides the command's code: an AutoML job's spec file, with the paths
     * its tables are downloaded to. (AutoML jobs run on the server's host only, so there is no remote copy to fetch.)
     */
    private Optional<Staged> kindFiles(JobSpec.WithCommand parsed, Function<String, String> inputPath) {
        return switch (parsed) {
            case JobSpec.AutoMl automl -> Optional.of(new Staged.Code(folder -> {
                Map<String, String> tables = new LinkedHashMap<>();
                automl.command().inputs().keySet().forEach(name -> tables.put(name, inputPath.apply(name)));
                Files.writeString(folder.resolve(AutoMlDocument.SPEC_FILE), automl.automl().spec(tables).toPrettyString());
            }, "/api/v1/jobs/" + job.name() + "/automl-spec"));
            case JobSpec.Command command -> Optional.empty();
            case JobSpec.Sweep sweep -> Optional.empty();
        };
    }

    /** What a kind reports at its end, read from its outputs: an AutoML job's leaderboard (empty: nothing to report). */
    private Optional<String> kindResult(Path outputs) throws IOException {
        return switch (spec) {
            case JobSpec.AutoMl automl -> Optional.of(AutoMlResults.read(outputs).orElseThrow(() -> new IOException(
                    "the AutoML workload wrote no outputs/" + AutoMlResults.FILE)).toString());
            case JobSpec.Command command -> Optional.empty();
            case JobSpec.Sweep sweep -> Optional.empty();
        };
    }

    private void download(JobData.Resolved input, Path folder) throws IOException {
        execution.data().download(job.workspace(), input, folder);
    }

    private String inputPath(JobSpec.WithCommand parsed, Placement placement, Map<String, JobData.Resolved> stored, String name) {
        JobInput input = parsed.command().inputs().get(name);
        return switch (input) {
            case JobInput.Data data -> data.file().map(file -> placement.input(name) + "/" + file).orElse(placement.input(name));
            case JobInput.Stored data when data.mode() == JobInput.Mode.DOWNLOAD -> {
                String file = execution.data().downloadedFile(job.workspace(), stored.get(name));
                yield file.isEmpty() ? placement.input(name) : placement.input(name) + "/" + file;
            }
            case JobInput.Stored data -> execution.data().directUri(job.workspace(), stored.get(name));
            case JobInput.Literal literal -> literal.value();
        };
    }

    @Override
    public void started() {
        execution.markRunning(job);
    }

    @Override
    public void log(String stream, String line) {
        log.add(stream, line);
    }

    @Override
    public void ended(RunOutcome outcome, Optional<Path> outputs) {
        Outcome result = switch (outcome) {
            case RunOutcome.Succeeded succeeded -> new Outcome(JobStatus.COMPLETED, 0, null);
            case RunOutcome.Failed failed -> new Outcome(JobStatus.FAILED, failed.exitCode().isPresent() ? failed.exitCode().getAsInt() : null,
                    failed.reason());
            case RunOutcome.Stopped stopped -> new Outcome(stopStatus() != null ? stopStatus() : JobStatus.FAILED,
                    stopped.exitCode().isPresent() ? stopped.exitCode().getAsInt() : null,
                    stopStatus() != null ? stopReason() : JobScheduler.SHUTDOWN_REASON);
        };
        if (result.status() == JobStatus.COMPLETED && outputs.isPresent() && spec != null) {
            result = registerOutputs(outputs.get(), result);
        }
        String reported = null;
        if (outputs.isPresent() && spec != null) {
            try {
                reported = kindResult(outputs.get()).orElse(null);
            } catch (IOException | RuntimeException e) {
                result = result.status() == JobStatus.COMPLETED
                        ? new Outcome(JobStatus.FAILED, result.exitCode(), "Could not read the job's result: " + e.getMessage()) : result;
            }
        }
        log.add("system", "[atelier] " + result.status().wireName() + (result.reason() == null ? "" : ": " + result.reason()));
        log.flush();
        if (outputs.isPresent()) {
            try {
                execution.uploadOutputs(job, outputs.get(), log.text());
            } catch (IOException | RuntimeException e) {
                result = result.status() == JobStatus.COMPLETED
                        ? new Outcome(JobStatus.FAILED, result.exitCode(), "Could not upload the outputs: " + e.getMessage()) : result;
            }
        }
        execution.finishAndRevoke(job, result.status(), result.exitCode(), result.reason(), reported);
        markDone();
        execution.ended();
    }

    /**
     * Copies the outputs that have a {@code path} there, then registers the outputs named as data assets; the first that
     * cannot be stored or registered fails the job (earlier ones stay).
     */
    private Outcome registerOutputs(Path outputs, Outcome completed) {
        for (var entry : spec.command().outputPaths().entrySet()) {
            String name = entry.getKey();
            try {
                execution.data().storeOutput(job.workspace(), outputs.resolve(name), spec.command().outputs().get(name), entry.getValue());
            } catch (IOException | RuntimeException e) {
                return new Outcome(JobStatus.FAILED, completed.exitCode(), "Could not store outputs." + name + " at " + entry.getValue()
                        + ": " + e.getMessage());
            }
        }
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

    private record Outcome(JobStatus status, Integer exitCode, String reason) {
    }
}

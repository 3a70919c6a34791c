package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.api.AtelierException;
import dev.atelier.server.automl.AutoMlTables;
import dev.atelier.server.components.ComponentService;
import dev.atelier.server.compute.WorkloadNeeds;
import dev.atelier.server.compute.Workloads;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.environments.Environment;
import dev.atelier.server.environments.EnvironmentDocument;
import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.snapshots.Snapshot;
import dev.atelier.server.snapshots.SnapshotService;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Submission, reading and cancellation of jobs (docs/jobs.md). A submission is checked whole (the
 * document, its bindings, compute, environment, snapshots, secret names) before anything is
 * written; then the job's run is created and the job queued. Thread-safe.
 */
public final class JobService {
    static final int MAX_LIST = 1000;
    static final int MAX_LOG_LINES = 5000;

    private final JobStore store;
    private final JobRuns runs;
    private final ComputeService computes;
    private final Workloads workloads;
    private final EnvironmentService environments;
    private final SnapshotService snapshots;
    private final SecretService secrets;
    private final JobData data;
    private final Clock clock;
    private final PipelineSubmission pipelines;
    private final PipelineSteps steps;
    private volatile Runnable onQueued = () -> { };

    JobService(JobStore store, JobRuns runs, ComputeService computes, Workloads workloads, EnvironmentService environments,
               SnapshotService snapshots, SecretService secrets, JobData data, ComponentService components, PipelineStepStore stepStore,
               Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.data = requireNonNull(data, "data is null");
        this.clock = requireNonNull(clock, "clock is null");
        PipelinePlan.Lookups lookups = new PipelinePlan.Lookups(components, environments, data);
        this.pipelines = new PipelineSubmission(this, lookups, workloads, environments);
        this.steps = new PipelineSteps(stepStore, lookups);
    }

    /** Called after every job queued (the scheduler wakes up instead of waiting for its next poll). */
    void onQueued(Runnable listener) {
        this.onQueued = requireNonNull(listener, "listener is null");
    }

    /** Validates and queues a job from its document (YAML parsed as JSON). */
    public Job submit(String workspace, String user, JsonNode submitted) {
        if (PipelineSubmission.isPipeline(submitted)) {
            PipelineSubmission.Prepared prepared = pipelines.prepare(workspace, user, submitted, this::checkNameFree);
            return queue(workspace, user, prepared.spec(), prepared.name(), prepared.compute(), Optional.empty(), prepared.document());
        }
        Checked checked = check(workspace, user, submitted);
        JsonNode document = checked.document();
        JobSpec.WithCommand spec = checked.spec();
        Optional<EnvironmentDocument.Draft> inline = checked.inline();
        String name = spec.name().orElseGet(JobNames::generate);
        ComputeTarget compute = checked.compute();
        Optional<Environment> environment = checked.environment();
        Map<String, JobData.Resolved> pinned = checked.pinned();
        if (inline.isPresent()) {
            environment = Optional.of(environments.registerAnonymous(workspace, inline.get(), user));
        }
        ObjectNode stored = environment.isPresent() && inline.isPresent() ? JobDocument.withEnvironment(document,
                environment.get().reference()) : document.deepCopy();
        stored.put("name", name);
        // @latest is pinned to the version it names now, so the job (and a sweep's every trial) reads what was checked.
        pinned.forEach((input, resolved) -> inputNode(stored, spec, input).put("path", resolved.path()));
        if (spec instanceof JobSpec.Sweep sweep) {
            sweep.sweep().seed().ifPresent(seed -> stored.set("sampling_algorithm",
                    stored.objectNode().put("type", "random").put("seed", seed)));
        }
        return queue(workspace, user, spec, name, compute.name(), environment, stored);
    }

    /**
     * Queues a batch endpoint's scoring job, checked by the batch domain: {@code document} is what its
     * {@link JobKind} reads back ({@code Job.spec()}).
     */
    public Job submitBatchScoring(String workspace, String user, JobSpec.BatchScoring spec, ObjectNode document) {
        String name = spec.name().orElseGet(JobNames::generate);
        checkNameFree(workspace, name);
        ObjectNode stored = document.deepCopy();
        stored.put("name", name);
        return queue(workspace, user, spec, name, spec.compute(), Optional.empty(), stored);
    }

    private void checkNameFree(String workspace, String name) {
        if (store.get(workspace, name).isPresent()) {
            throw AtelierException.alreadyExists("Job '" + name + "' already exists in workspace '" + workspace + "'");
        }
    }

    /** Creates the run of a checked top-level job and queues it. */
    private Job queue(String workspace, String user, JobSpec spec, String name, String compute, Optional<Environment> environment,
                      ObjectNode stored) {
        String experimentId = runs.experimentId(workspace, spec.experimentName());
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.put(JobRuns.JOB_NAME_TAG, name);
        tags.put(JobRuns.JOB_TYPE_TAG, spec.type().wireName());
        tags.put(JobRuns.COMPUTE_TAG, compute);
        tags.put("mlflow.source.type", "JOB");
        tags.put("mlflow.source.name", name);
        Optional<String> snapshot = spec instanceof JobSpec.WithCommand withCommand ? withCommand.command().codeSnapshot() : Optional.empty();
        snapshot.ifPresent(id -> tags.put(JobRuns.SNAPSHOT_TAG, id));
        environment.ifPresent(env -> tags.put(JobRuns.ENVIRONMENT_TAG, env.reference()));
        if (!spec.description().isEmpty()) {
            tags.put("mlflow.note.content", spec.description());
        }
        String runId = runs.create(workspace, experimentId, spec.displayName().orElse(name), user, tags);
        Job job = queued(workspace, name, spec.type(), compute, experimentId, runId, snapshot, null, null, user, stored);
        if (!store.insert(job)) {
            throw AtelierException.alreadyExists("Job '" + name + "' already exists in workspace '" + workspace + "'");
        }
        onQueued.run();
        return get(workspace, name);
    }

    /**
     * Queues the command (or sweep) job of a pipeline step ({@link StepDocuments}), as a child run of the pipeline's run;
     * false when it exists (a resumed pipeline never queues a step twice).
     */
    boolean submitStep(Job pipeline, String name, ObjectNode document) {
        if (store.get(pipeline.workspace(), name).isPresent()) {
            return false;
        }
        JobType type = JobDocument.parse(document).type();
        JsonNode command = type == JobType.SWEEP ? document.path("trial") : document;
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(JobRuns.JOB_NAME_TAG, name);
        tags.put(JobRuns.JOB_TYPE_TAG, type.wireName());
        String compute = document.path("compute").asText();
        tags.put(JobRuns.COMPUTE_TAG, compute);
        tags.put(JobRuns.PARENT_RUN_TAG, pipeline.runId());
        tags.put(JobRuns.PIPELINE_STEP_TAG, document.path("display_name").asText());
        tags.put("mlflow.source.type", "JOB");
        tags.put("mlflow.source.name", name);
        Optional<String> snapshot = Optional.ofNullable(command.get("code")).map(code -> code.asText().substring("snapshot:".length()));
        snapshot.ifPresent(id -> tags.put(JobRuns.SNAPSHOT_TAG, id));
        Optional.ofNullable(command.get("environment")).ifPresent(env -> tags.put(JobRuns.ENVIRONMENT_TAG,
                env.asText().substring("azureml:".length())));
        String runId = runs.create(pipeline.workspace(), pipeline.experimentId(), document.path("display_name").asText(),
                pipeline.createdBy(), tags);
        Job job = queued(pipeline.workspace(), name, type, compute, pipeline.experimentId(), runId, snapshot, pipeline.name(),
                null, pipeline.createdBy(), document);
        boolean inserted = store.insert(job);
        if (inserted) {
            onQueued.run();
        }
        return inserted;
    }

    /** Checks a job document as {@link #submit} does (document, name, compute, environment, snapshots, data, secrets), writing nothing. */
    public void validate(String workspace, String user, JsonNode submitted) {
        if (PipelineSubmission.isPipeline(submitted)) {
            pipelines.check(workspace, user, submitted, this::checkNameFree);
            return;
        }
        check(workspace, user, submitted);
    }

    /** What {@link #check} found: the document (an inline environment replaced), its spec and what it refers to, resolved. */
    private record Checked(JsonNode document, JobSpec.WithCommand spec, Optional<EnvironmentDocument.Draft> inline, ComputeTarget compute,
                           Optional<Environment> environment, Map<String, JobData.Resolved> pinned) {
    }

    private Checked check(String workspace, String user, JsonNode submitted) {
        // An inline environment is checked with the rest and registered (as Azure ML's CLI does: the version with the same
        // specification) only once the whole job is valid.
        Optional<EnvironmentDocument.Draft> inline = JobDocument.inlineEnvironment(submitted);
        JsonNode document = inline.isPresent() ? JobDocument.withEnvironment(submitted, EnvironmentService.ANONYMOUS) : submitted;
        JobSpec.WithCommand spec = switch (JobDocument.parse(document)) {
            case JobSpec.WithCommand withCommand -> withCommand;
            case JobSpec.Pipeline pipeline -> throw AtelierException.invalidParameter("Invalid 'type': a pipeline says type: pipeline");
            case JobSpec.BatchScoring batch -> throw new IllegalStateException("a job document is never a batch scoring job");
        };
        spec.name().ifPresent(name -> checkNameFree(workspace, name));
        ComputeTarget compute = compute(workspace, "compute", spec.compute());
        Optional<Environment> environment = inline.isPresent() ? Optional.of(environments.anonymous(workspace, inline.get(), user))
                : spec.command().environment().map(reference -> environments.resolve(workspace, "environment", reference));
        workloads.check(compute, needs(spec.command(), environment));
        checkSnapshots(workspace, spec.command());
        Map<String, JobData.Resolved> pinned = checkData(workspace, spec);
        checkKind(workspace, spec, compute, pinned);
        for (Map.Entry<String, String> secret : spec.command().secrets().entrySet()) {
            try {
                secrets.get(workspace, secret.getValue());
            } catch (AtelierException e) {
                throw AtelierException.notFound("Unknown secret '" + secret.getValue() + "' referenced by secrets."
                        + secret.getKey() + ": " + e.getMessage());
            }
        }
        return new Checked(document, spec, inline, compute, environment, pinned);
    }

    /** Where the document declares input {@code name}: below a command's {@code inputs}, at the top of an AutoML job's. */
    private static String inputField(JobSpec.WithCommand spec, String name) {
        return switch (spec) {
            case JobSpec.AutoMl automl -> name;
            case JobSpec.Command command -> "inputs." + name;
            case JobSpec.Sweep sweep -> "inputs." + name;
        };
    }

    private static ObjectNode inputNode(ObjectNode document, JobSpec.WithCommand spec, String name) {
        JsonNode node = document;
        for (String part : inputField(spec, name).split("\\.")) {
            node = node.get(part);
        }
        return (ObjectNode) node;
    }

    /** What a kind checks beyond the command it runs: an AutoML job's tables (docs/automl.md, "Errors"). */
    private void checkKind(String workspace, JobSpec.WithCommand spec, ComputeTarget compute, Map<String, JobData.Resolved> pinned) {
        switch (spec) {
            case JobSpec.AutoMl automl -> {
                if (!workloads.onServerHost(compute)) {
                    throw AtelierException.invalidParameter("Invalid value '" + compute.name() + "' for 'compute': an AutoML job runs "
                            + "on a compute target on the server's host (such as local)");
                }
                Map<String, AutoMlTables.Table> tables = new LinkedHashMap<>();
                pinned.forEach((input, resolved) -> tables.put(input, new AutoMlTables.Table(input, resolved.path(),
                        data.tableProfile(workspace, input + ".path", resolved.path()))));
                AutoMlTables.check(automl.automl(), tables);
            }
            case JobSpec.Command command -> { }
            case JobSpec.Sweep sweep -> { }
        }
    }

    /** How many jobs of every workspace are in each status, for every status (the queue-depth gauges of /metrics). */
    public java.util.Map<JobStatus, Long> countByStatus() {
        java.util.Map<JobStatus, Long> counts = new java.util.EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, 0L);
        }
        counts.putAll(store.countByStatus());
        return counts;
    }

    /** Queues trial {@code index} of a sweep, with its command bound to the sampled values; false when it exists. */
    boolean submitTrial(Job sweep, JobSpec.Sweep spec, int index, Map<String, String> values) {
        String name = JobNames.trial(sweep.name(), index);
        if (store.get(sweep.workspace(), name).isPresent()) {
            return false;
        }
        SweepSpec search = spec.sweep();
        CommandSpec trial = spec.command().forTrial(Bindings.bind(spec.command().command(), "search_space", values),
                search.trialTimeoutSeconds());
        ObjectNode document = sweep.spec().deepCopy();
        document.put("type", "command").put("name", name);
        for (String field : List.of("trial", "search_space", "sampling_algorithm", "objective", "limits", "early_termination")) {
            document.remove(field);
        }
        sweep.spec().path("trial").properties().forEach(entry -> document.set(entry.getKey(), entry.getValue()));
        // Each trial writes its outputs under its own name (a sweep's output paths hold ${{name}}).
        document.path("outputs").forEach(output -> {
            if (output.path("path").isTextual()) {
                ((ObjectNode) output).put("path", output.get("path").asText().replace(StepDocuments.TRIAL_NAME, name));
            }
        });
        document.put("command", trial.command());
        trial.timeoutSeconds().ifPresent(timeout -> document.putObject("limits").put("timeout", timeout));
        document.put("display_name", name);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(JobRuns.JOB_NAME_TAG, name);
        tags.put(JobRuns.JOB_TYPE_TAG, "command");
        tags.put(JobRuns.COMPUTE_TAG, sweep.compute());
        tags.put(JobRuns.PARENT_RUN_TAG, sweep.runId());
        tags.put("mlflow.source.type", "JOB");
        tags.put("mlflow.source.name", name);
        trial.codeSnapshot().ifPresent(id -> tags.put(JobRuns.SNAPSHOT_TAG, id));
        String runId = runs.create(sweep.workspace(), sweep.experimentId(), name, sweep.createdBy(), tags);
        runs.logParams(sweep.workspace(), runId, values);
        Job job = queued(sweep.workspace(), name, JobType.COMMAND, sweep.compute(), sweep.experimentId(), runId, trial.codeSnapshot(),
                sweep.name(), index, sweep.createdBy(), document);
        boolean inserted = store.insert(job);
        if (inserted) {
            onQueued.run();
        }
        return inserted;
    }

    private Job queued(String workspace, String name, JobType type, String compute, String experimentId, String runId,
                       Optional<String> snapshotId, String parent, Integer trialIndex, String user, JsonNode document) {
        return new Job(name, type, JobStatus.QUEUED, compute, null, experimentId, runId, snapshotId.orElse(null), parent, trialIndex,
                user, clock.millis(), null, null, null, null, null, null, document, 0, false, null, workspace);
    }

    public Job get(String workspace, String name) {
        return store.get(workspace, name).orElseThrow(() -> AtelierException.notFound("Job '" + name + "' does not exist in workspace '"
                + workspace + "'"));
    }

    public List<Job> list(String workspace, Optional<String> parentJob, int maxResults) {
        if (maxResults < 1 || maxResults > MAX_LIST) {
            throw AtelierException.invalidParameter("Invalid value " + maxResults + " for parameter 'max_results': use 1 to " + MAX_LIST);
        }
        return store.list(workspace, parentJob, maxResults);
    }

    /**
     * A page of the workspace's top-level jobs, newest first: {@code limit} jobs queued before
     * {@code beforeSeq} (the {@link Job#queueSeq()} of the previous page's last job), with {@code status} and of {@code type}
     * when given.
     */
    public List<Job> page(String workspace, Optional<JobStatus> status, Optional<JobType> type, Optional<Long> beforeSeq, int limit) {
        if (limit < 1 || limit > MAX_LIST + 1) {
            throw AtelierException.invalidParameter("Invalid value " + limit + " for the page size: use 1 to " + MAX_LIST);
        }
        return store.page(workspace, status, type, beforeSeq, limit);
    }

    /** Cancels a queued job at once; asks the server running one to stop it. Ended jobs cannot be canceled. */
    public Job cancel(String workspace, String name) {
        return cancel(workspace, name, "Canceled by request");
    }

    /** Cancels with the reason recorded on the job (such as an early termination policy's verdict). */
    Job cancel(String workspace, String name, String reason) {
        Job job = get(workspace, name);
        if (job.status().isTerminal()) {
            throw AtelierException.invalidState("Job '" + name + "' already ended (" + job.status().wireName() + ")");
        }
        if (job.status() == JobStatus.QUEUED && store.finish(workspace, name, Optional.empty(), JobStatus.CANCELED, clock.millis(), null,
                reason, null)) {
            runs.setStatus(workspace, job.runId(), JobStatus.CANCELED, Optional.of(clock.millis()));
            return get(workspace, name);
        }
        store.requestCancel(workspace, name, reason);
        return get(workspace, name);
    }

    /** Lines after {@code afterSeq}, at most {@code maxLines}. */
    public List<JobLogLine> logs(String workspace, String name, long afterSeq, int maxLines) {
        get(workspace, name);
        if (maxLines < 1 || maxLines > MAX_LOG_LINES) {
            throw AtelierException.invalidParameter("Invalid value " + maxLines + " for parameter 'max_lines': use 1 to " + MAX_LOG_LINES);
        }
        return store.logs(workspace, name, afterSeq, maxLines);
    }

    ComputeTarget compute(String workspace, String field, String name) {
        try {
            return computes.get(workspace, name);
        } catch (AtelierException e) {
            throw AtelierException.notFound("Unknown compute '" + name + "' in '" + field + "': " + e.getMessage());
        }
    }

    /** What the job asks of its target: its environment, and the outputs it registers as data assets. */
    private static WorkloadNeeds needs(CommandSpec command, Optional<Environment> environment) {
        return new WorkloadNeeds(environment, List.copyOf(command.outputAssets().keySet()));
    }

    private void checkSnapshots(String workspace, CommandSpec command) {
        command.codeSnapshot().ifPresent(id -> snapshot(workspace, "code", id));
        command.inputs().forEach((name, input) -> {
            if (input instanceof JobInput.Data data) {
                Snapshot snapshot = snapshot(workspace, "inputs." + name + ".path", data.snapshotId());
                data.file().ifPresent(file -> {
                    if (snapshot.files().stream().noneMatch(f -> f.path().equals(file))) {
                        throw AtelierException.invalidParameter("Invalid 'inputs." + name + ".path': snapshot " + data.snapshotId()
                                + " has no file '" + file + "'");
                    }
                });
            }
        });
    }

    /** Resolves data inputs and checks output assets. */
    private Map<String, JobData.Resolved> checkData(String workspace, JobSpec.WithCommand spec) {
        CommandSpec command = spec.command();
        Map<String, JobData.Resolved> resolved = new LinkedHashMap<>();
        command.inputs().forEach((name, input) -> {
            if (input instanceof JobInput.Stored stored) {
                resolved.put(name, data.resolve(workspace, inputField(spec, name) + ".path", stored.path(), stored.type()));
            }
        });
        command.outputAssets().forEach((name, asset) -> {
            data.checkOutput(workspace, "outputs." + name + ".name", asset);
        });
        command.outputPaths().forEach((name, path) -> data.checkOutputPath(workspace, "outputs." + name + ".path", path));
        return resolved;
    }

    Snapshot snapshot(String workspace, String field, String id) {
        try {
            return snapshots.get(workspace, id);
        } catch (AtelierException e) {
            throw AtelierException.notFound("Unknown snapshot in '" + field + "': " + e.getMessage());
        }
    }

    /**
     * A job as the API shows it: a pipeline with its {@code steps} (docs/pipelines.md), any other job as it is.
     */
    public Object describe(String workspace, String name) {
        Job job = get(workspace, name);
        return job.type() == JobType.PIPELINE ? steps.describe(job) : job;
    }

    PipelineSteps steps() {
        return steps;
    }

    JobData data() {
        return data;
    }

    JobStore store() {
        return store;
    }

    JobRuns runs() {
        return runs;
    }
}

package dev.atelier.server.jobs;

import dev.atelier.server.environments.EnvironmentService;
import dev.atelier.server.secrets.SecretService;
import dev.atelier.server.snapshots.SnapshotService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * What every running job shares: this server's owner id, the services a job reaches, and the
 * state changes a runner records (running, finished) together with the job's run. Thread-safe.
 */
final class JobExecution {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);
    /** Tokens of jobs without a timeout stay valid this long at most (they are revoked when the job ends). */
    static final long DEFAULT_TOKEN_SECONDS = 7 * 24 * 3600;

    private final String owner;
    private final JobStore store;
    private final JobRuns runs;
    private final SnapshotService snapshots;
    private final EnvironmentService environments;
    private final SecretService secrets;
    private final RunCredentials credentials;
    private final JobOutputs outputs;
    private final JobData data;
    private final Supplier<String> serverUrl;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong endings = new java.util.concurrent.atomic.AtomicLong();
    private volatile Runnable onEnded = () -> { };

    JobExecution(String owner, JobStore store, JobRuns runs, SnapshotService snapshots, EnvironmentService environments,
                 SecretService secrets, RunCredentials credentials, JobOutputs outputs, JobData data, Supplier<String> serverUrl, Clock clock) {
        this.owner = requireNonNull(owner, "owner is null");
        this.store = requireNonNull(store, "store is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.environments = requireNonNull(environments, "environments is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.outputs = requireNonNull(outputs, "outputs is null");
        this.data = requireNonNull(data, "data is null");
        this.serverUrl = requireNonNull(serverUrl, "serverUrl is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    String owner() {
        return owner;
    }

    JobStore store() {
        return store;
    }

    JobRuns runs() {
        return runs;
    }

    SnapshotService snapshots() {
        return snapshots;
    }

    JobData data() {
        return data;
    }

    /**
     * Resolves the job's data inputs again as it starts (a version may have been deleted since the
     * submission) and records each use as lineage of the job's run ({@code job:<name>}); by input name.
     */
    Map<String, JobData.Resolved> dataInputs(Job job, JobSpec.WithCommand spec) {
        Map<String, JobData.Resolved> resolved = new LinkedHashMap<>();
        spec.command().inputs().forEach((name, input) -> {
            if (input instanceof JobInput.Stored stored) {
                JobData.Resolved found = data.resolve(job.workspace(), "inputs." + name + ".path", stored.path(), stored.type());
                data.recordInput(job.workspace(), found, job.runId(), "job:" + job.name());
                resolved.put(name, found);
            }
        });
        return resolved;
    }

    RunCredentials credentials() {
        return credentials;
    }

    /**
     * Revokes an ended job's token, then records its end: whoever sees the job ended sees its token
     * gone. A failed revocation is logged; the end is recorded whatever happens. {@code result} is what the job reports
     * (JSON), if anything.
     */
    void finishAndRevoke(Job job, JobStatus status, Integer exitCode, String reason, String result) {
        try {
            credentials.revoke(job.workspace(), job.createdBy(), job.name());
        } catch (RuntimeException e) {
            LOG.warn("Could not revoke the token of job {}: {}", job.name(), e.toString());
        }
        finish(job, status, exitCode, reason, result);
    }

    /** Called after every workload end this server records (the scheduler wakes the pipelines waiting for it). */
    void onEnded(Runnable listener) {
        this.onEnded = requireNonNull(listener, "listener is null");
    }

    /**
     * A workload's job has ended and is done (its end recorded, its capacity free): pipelines look at their steps again,
     * and the scheduler claims at once what the freed capacity admits.
     */
    void ended() {
        endings.incrementAndGet();
        onEnded.run();
    }

    /** How many job ends this server has recorded: a pipeline looks at its steps again when it changes. */
    long endings() {
        return endings.get();
    }

    Clock clock() {
        return clock;
    }

    JobLaunch launch(Job job, JobSpec.WithCommand spec, Function<String, String> inputPath, Function<String, String> outputPath) {
        return launch(job, spec, inputPath, outputPath, serverUrl.get());
    }

    JobLaunch launch(Job job, JobSpec.WithCommand spec, Function<String, String> inputPath, Function<String, String> outputPath, String url) {
        long validSeconds = spec.command().timeoutSeconds().map(timeout -> timeout + 3600).orElse(DEFAULT_TOKEN_SECONDS);
        return JobLaunch.of(job, spec, inputPath, outputPath, url, environments, secrets, credentials, validSeconds);
    }

    /**
     * Marks a job this server claimed Running, for its first start or for a resumption (its start time kept: a sweep,
     * pipeline or batch job whose server stopped), and returns it as stored now.
     */
    Job started(Job job) {
        Job claimed = store.get(job.workspace(), job.name()).orElseThrow();
        if (claimed.startedAt() == null) {
            markRunning(claimed);
        } else {
            store.markRunning(job.workspace(), job.name(), owner, claimed.startedAt());
        }
        return store.get(job.workspace(), job.name()).orElseThrow();
    }

    void markRunning(Job job) {
        if (store.markRunning(job.workspace(), job.name(), owner, clock.millis())) {
            runs.setStatus(job.workspace(), job.runId(), JobStatus.RUNNING, Optional.empty());
        }
    }

    /** Records the end of a job this server holds, and of its run; a job already ended elsewhere is left alone. */
    void finish(Job job, JobStatus status, Integer exitCode, String reason, String result) {
        long now = clock.millis();
        if (!store.finish(job.workspace(), job.name(), Optional.of(owner), status, now, exitCode, reason, result)) {
            LOG.warn("Job {}/{} was no longer held by this server when it ended ({})", job.workspace(), job.name(), status.wireName());
            return;
        }
        try {
            runs.setStatus(job.workspace(), job.runId(), status, Optional.of(now));
        } catch (RuntimeException e) {
            LOG.warn("Could not update the run {} of job {}/{}: {}", job.runId(), job.workspace(), job.name(), e.getMessage());
        }

    }

    void uploadOutputs(Job job, Path outputsDir, String log) throws IOException {
        Optional<String> root = ArtifactRoot.of(runs.artifactUri(job.workspace(), job.runId()));
        if (root.isPresent()) {
            outputs.upload(job.workspace(), root.get() + "", outputsDir, log);
        }
    }
}

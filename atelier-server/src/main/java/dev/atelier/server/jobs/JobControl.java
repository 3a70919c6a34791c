package dev.atelier.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link JobKind}'s running job may do to its job: read it, log, show progress while it runs (the job's
 * {@code result}), reach data ({@link JobData}) and record its end, which frees it for the scheduler. Every write is
 * conditional on this server still holding the job. Thread-safe.
 */
public final class JobControl {
    private final Job job;
    private final JobExecution execution;

    JobControl(Job job, JobExecution execution) {
        this.job = requireNonNull(job, "job is null");
        this.execution = requireNonNull(execution, "execution is null");
    }

    public Job job() {
        return job;
    }

    public JobData data() {
        return execution.data();
    }

    public long now() {
        return execution.clock().millis();
    }

    /** Appends lines to the job's log (stream {@code system}). */
    public void log(List<String> lines) {
        long now = now();
        execution.store().appendLogs(job.workspace(), job.name(), lines.stream().map(line -> new JobLogLine(0, "system", now, line)).toList());
    }

    /** Shows {@code progress} as the running job's {@code result}; false when this server no longer holds the job. */
    public boolean progress(JsonNode progress) {
        return execution.store().progress(job.workspace(), job.name(), execution.owner(), progress.toString());
    }

    /** Records the job's end (and its run's) with {@code result}; wakes the scheduler. */
    public void finish(JobStatus status, String reason, Optional<JsonNode> result) {
        execution.finishAndRevoke(job, status, null, reason, result.map(JsonNode::toString).orElse(null));
        execution.ended();
    }

    /**
     * A token of the job's user, restricted to its workspace, for the job's workloads to fetch their files with (empty
     * when authentication is off); revoked when the job finishes ({@link #finish}).
     */
    public Optional<String> workloadToken(long validSeconds) {
        return execution.credentials().issue(job.workspace(), job.createdBy(), job.name(), validSeconds).map(RunCredentials.Issued::secret);
    }

    /** Sets tags on the job's run (what it scored, for lineage). */
    public void tagRun(java.util.Map<String, String> tags) {
        execution.runs().setTags(job.workspace(), job.runId(), tags);
    }
}

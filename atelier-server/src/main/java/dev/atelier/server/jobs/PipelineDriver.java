package dev.atelier.server.jobs;

import java.util.Collection;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Pipeline jobs: driven on the scheduler's thread ({@link PipelineRun}), queueing their steps as command jobs, which
 * their computes admit as any other. A pipeline holds no compute itself; one whose server stopped goes back to the
 * queue and resumes from the database.
 */
final class PipelineDriver implements JobDriver {
    private final JobService service;
    private final JobExecution execution;

    PipelineDriver(JobService service, JobExecution execution) {
        this.service = requireNonNull(service, "service is null");
        this.execution = requireNonNull(execution, "execution is null");
    }

    @Override
    public JobType type() {
        return JobType.PIPELINE;
    }

    @Override
    public boolean admits(Job queued, Collection<RunningJob> runningHere, long now) {
        return true;
    }

    @Override
    public RunningJob start(Job job) {
        Job claimed = execution.store().get(job.workspace(), job.name()).orElseThrow();
        if (claimed.startedAt() == null) {
            execution.markRunning(claimed);
        } else {
            execution.store().markRunning(job.workspace(), job.name(), execution.owner(), claimed.startedAt());
        }
        return new PipelineRun(execution.store().get(job.workspace(), job.name()).orElseThrow(), service, execution);
    }

    @Override
    public Optional<RunningJob> expired(Job lost, long now) {
        execution.store().release(lost.workspace(), lost.name(), lost.leaseOwner());
        return Optional.empty();
    }
}

package dev.atelier.server.jobs;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Jobs that run other jobs (a sweep its trials, a pipeline its steps): driven on the scheduler's thread by the
 * {@link RunningJob} {@code driving} makes ({@link SweepRun}, {@link PipelineRun}), queueing their children as command
 * jobs, which their computes admit as any other. Such a job holds no compute itself, so it is always admitted; one whose
 * server stopped goes back to the queue and resumes from the database.
 */
final class ChildJobsDriver implements JobDriver {
    private final JobType type;
    private final JobExecution execution;
    private final Function<Job, RunningJob> driving;

    ChildJobsDriver(JobType type, JobExecution execution, Function<Job, RunningJob> driving) {
        this.type = requireNonNull(type, "type is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.driving = requireNonNull(driving, "driving is null");
    }

    @Override
    public JobType type() {
        return type;
    }

    @Override
    public boolean admits(Job queued, Collection<RunningJob> runningHere, long now) {
        return true;
    }

    @Override
    public RunningJob start(Job job) {
        return driving.apply(execution.started(job));
    }

    @Override
    public Optional<RunningJob> expired(Job lost, long now) {
        execution.store().releaseExpired(lost.workspace(), lost.name(), lost.leaseOwner(), now);
        return Optional.empty();
    }
}

package dev.atelier.server.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The {@link JobDriver} of a {@link JobKind}: admits every job, marks it running and starts it; takes over a job whose
 * server stopped and starts it again (the kind resumes it); on shutdown suspends it and hands it back to the queue.
 */
final class KindDriver implements JobDriver {
    private final JobKind kind;
    private final JobExecution execution;
    private final long leaseMillis;

    KindDriver(JobKind kind, JobExecution execution, Duration lease) {
        this.kind = requireNonNull(kind, "kind is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.leaseMillis = lease.toMillis();
    }

    @Override
    public JobType type() {
        return kind.type();
    }

    @Override
    public boolean admits(Job queued, Collection<RunningJob> runningHere, long now) {
        return true;
    }

    @Override
    public RunningJob start(Job job) {
        return run(execution.started(job));
    }

    @Override
    public Optional<RunningJob> expired(Job lost, long now) {
        if (!execution.store().takeOver(lost.workspace(), lost.name(), lost.leaseOwner(), execution.owner(), now, now + leaseMillis)) {
            return Optional.empty();
        }
        execution.store().appendLogs(lost.workspace(), lost.name(), List.of(new JobLogLine(0, "system", now,
                "[atelier] The server running the job stopped; this server took it over and resumes it")));
        return Optional.of(run(execution.store().get(lost.workspace(), lost.name()).orElseThrow()));
    }

    private RunningJob run(Job job) {
        return new KindRun(job, kind.start(new JobControl(job, execution)));
    }

    /** The scheduler's view of a running job of the kind. */
    private static final class KindRun extends RunningJob {
        private final Job job;
        private final JobKind.Execution running;

        KindRun(Job job, JobKind.Execution running) {
            this.job = job;
            this.running = running;
        }

        @Override
        Job job() {
            return job;
        }

        @Override
        void stopRequested() {
            running.stop(stopStatus(), stopReason());
        }

        @Override
        void poll() {
            if (running.done()) {
                markDone();
            }
        }

        /** Another server resumes it: it is suspended here, as for a shutdown, without handing it back. */
        @Override
        void leaseLost() {
            running.suspend();
            markDone();
        }

        @Override
        void shutdown(JobExecution execution) {
            running.suspend();
            execution.store().release(job.workspace(), job.name(), execution.owner());
            markDone();
        }
    }
}

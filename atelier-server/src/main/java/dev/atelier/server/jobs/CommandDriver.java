package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import dev.atelier.server.compute.Workloads;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Command jobs and sweep trials, or AutoML jobs (one driver per {@link JobType}): each runs as one workload on its compute target ({@link ComputeJobRun}), within the
 * target's {@code max_concurrent_jobs}, counted on this server or across servers as the target's backend says.
 */
final class CommandDriver implements JobDriver {
    private final JobType type;
    private final JobExecution execution;
    private final ComputeService computes;
    private final Workloads workloads;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommandDriver.class);

    private final long leaseMillis;
    /** Targets looked up in this claim pass, and those found full (by workspace/compute). */
    private final Map<String, Optional<ComputeTarget>> targets = new HashMap<>();
    private final Set<String> full = new HashSet<>();

    CommandDriver(JobType type, JobExecution execution, ComputeService computes, Workloads workloads, java.time.Duration lease) {
        this.type = requireNonNull(type, "type is null");
        this.leaseMillis = lease.toMillis();
        this.execution = requireNonNull(execution, "execution is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.workloads = requireNonNull(workloads, "workloads is null");
    }

    @Override
    public JobType type() {
        return type;
    }

    @Override
    public void beginPass() {
        targets.clear();
        full.clear();
    }

    @Override
    public boolean admits(Job job, Collection<RunningJob> runningHere, long now) {
        String key = job.workspace() + "/" + job.compute();
        if (full.contains(key)) {
            return false;
        }
        Optional<ComputeTarget> target = targets.computeIfAbsent(key, k -> target(job));
        if (target.isEmpty()) {
            if (execution.store().finish(job.workspace(), job.name(), Optional.empty(), JobStatus.FAILED, now, null,
                    "Compute '" + job.compute() + "' no longer exists", null)) {
                execution.runs().setStatus(job.workspace(), job.runId(), JobStatus.FAILED, Optional.of(now));
            }
            return false;
        }
        boolean free;
        if (workloads.onServerHost(target.get())) {
            long here = runningHere.stream().filter(ComputeJobRun.class::isInstance)
                    .filter(run -> run.job().compute().equals(job.compute())).count();
            free = here < target.get().maxConcurrentJobs();
        } else {
            free = execution.store().countActive(job.workspace(), job.compute()) < target.get().maxConcurrentJobs();
        }
        if (!free) {
            full.add(key);
        }
        return free;
    }

    /** A target whose jobs count across servers is counted and claimed on in one step ({@link JobStore#claimWithin}). */
    @Override
    public boolean claim(JobStore store, Job queued, String owner, long now, long leaseExpires) {
        Optional<ComputeTarget> target = targets.computeIfAbsent(queued.workspace() + "/" + queued.compute(), k -> target(queued));
        if (target.isEmpty() || workloads.onServerHost(target.get())) {
            return JobDriver.super.claim(store, queued, owner, now, leaseExpires);
        }
        boolean claimed = store.claimWithin(queued.workspace(), queued.name(), queued.compute(), target.get().maxConcurrentJobs(),
                owner, now, leaseExpires);
        if (!claimed) {
            full.add(queued.workspace() + "/" + queued.compute());
        }
        return claimed;
    }

    @Override
    public RunningJob start(Job claimed) {
        return new ComputeJobRun(claimed, target(claimed).orElseThrow(), execution, workloads).start();
    }

    /**
     * Takes the job over and re-attaches to its workload when its target still has it (a pod outlives the server that
     * started it); otherwise ends it as failed.
     */
    @Override
    public Optional<RunningJob> expired(Job lost, long now) {
        Optional<ComputeTarget> target = target(lost);
        String owner = lost.leaseOwner();
        if (target.isPresent() && execution.store().takeOver(lost.workspace(), lost.name(), owner, execution.owner(), now,
                now + leaseMillis)) {
            owner = execution.owner();
            ComputeJobRun run = new ComputeJobRun(lost, target.get(), execution, workloads);
            try {
                if (run.reattach()) {
                    return Optional.of(run);
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not re-attach to job {}/{}: {}", lost.workspace(), lost.name(), e.toString());
            }
        }
        String reason = "The server running the job stopped (its lease expired); the job was not finished";
        // Taken over: this server holds it now. Not taken over: only while its holder still has not renewed the lease.
        boolean ended = owner.equals(execution.owner())
                ? execution.store().finish(lost.workspace(), lost.name(), Optional.of(owner), JobStatus.FAILED, now, null, reason, null)
                : execution.store().finishExpired(lost.workspace(), lost.name(), owner, now, JobStatus.FAILED, reason);
        if (ended) {
            execution.store().appendLogs(lost.workspace(), lost.name(), List.of(new JobLogLine(0, "system", now, "[atelier] " + reason)));
            execution.runs().setStatus(lost.workspace(), lost.runId(), JobStatus.FAILED, Optional.of(now));
        }
        return Optional.empty();
    }

    private Optional<ComputeTarget> target(Job job) {
        try {
            return Optional.of(computes.get(job.workspace(), job.compute()));
        } catch (AtelierException e) {
            return Optional.empty();
        }
    }
}

package dev.atelier.server.jobs;

import dev.atelier.api.AtelierException;
import dev.atelier.server.compute.ComputeService;
import dev.atelier.server.compute.ComputeTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.atelier.server.compute.local.LocalCompute;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * This server's share of the job queue. One thread polls the database a few times a second (and
 * at once when a job is queued here): it renews the leases of the jobs it holds, fails jobs whose
 * server stopped (lease expired), passes cancel requests to running jobs, claims queued jobs FIFO
 * within each target's concurrency (local: per server; Kubernetes: per target), and drives sweeps.
 * Claims are conditional row updates, so servers sharing a database never run a job twice.
 */
public final class JobScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
    /** Polling while jobs run here (cancel requests, sweeps); submissions to this server wake the loop at once. */
    private static final long BUSY_POLL_MILLIS = 100;
    /** Polling when idle: only jobs submitted through other servers sharing the database wait for it. */
    private static final long IDLE_POLL_MILLIS = 1_000;
    private static final long SWEEP_TICK_MILLIS = 300;
    static final String SHUTDOWN_REASON = "The server shut down while the job was running";

    private final JobService service;
    private final JobExecution execution;
    private final ComputeService computes;
    private final KubernetesJobs kubernetes;
    private final int localMaxConcurrentJobs;
    private final long leaseMillis;
    private final Path jobsRoot;
    private final LocalCompute local;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private volatile boolean closed;
    private boolean woken;
    private long nextRenewal;
    private long nextSweepTick;
    private long nextExpiryCheck;
    private Thread thread;

    JobScheduler(JobService service, JobExecution execution, ComputeService computes, KubernetesJobs kubernetes,
                 int localMaxConcurrentJobs, Duration lease, Path jobsRoot, LocalCompute local) {
        this.service = requireNonNull(service, "service is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.kubernetes = requireNonNull(kubernetes, "kubernetes is null");
        this.localMaxConcurrentJobs = localMaxConcurrentJobs;
        this.leaseMillis = lease.toMillis();
        this.jobsRoot = requireNonNull(jobsRoot, "jobsRoot is null");
        this.local = requireNonNull(local, "local is null");
    }

    void start() {
        service.onQueued(this::wake);
        thread = Thread.ofPlatform().daemon().name("atelier-jobs").start(this::loop);
    }

    void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.warn("Job scheduling failed; retrying", e);
            }
            lock.lock();
            try {
                if (!woken && !closed) {
                    wakeUp.await(running.isEmpty() ? IDLE_POLL_MILLIS : BUSY_POLL_MILLIS, TimeUnit.MILLISECONDS);
                }
                woken = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private void tick() {
        long now = execution.clock().millis();
        if (now >= nextRenewal && !running.isEmpty()) {
            execution.store().renewLeases(execution.owner(), now + leaseMillis);
            nextRenewal = now + leaseMillis / 3;
        }
        if (now >= nextExpiryCheck) {
            failExpired(now);
            nextExpiryCheck = now + Math.max(1, leaseMillis / 3);
        }
        running.values().removeIf(RunningJob::done);
        if (!running.isEmpty()) {
            for (Job held : execution.store().heldBy(execution.owner())) {
                RunningJob job = running.get(key(held));
                if (held.cancelRequested() && job != null) {
                    job.stop(JobStatus.CANCELED, held.reason() != null ? held.reason() : "Canceled by request");
                }
            }
        }
        claimLocal(now);
        claimKubernetes(now);
        claimSweeps(now);
        if (now >= nextSweepTick) {
            nextSweepTick = now + SWEEP_TICK_MILLIS;
            running.values().stream().filter(SweepRun.class::isInstance).map(SweepRun.class::cast).forEach(sweep -> {
                try {
                    sweep.tick();
                } catch (AtelierException | IllegalStateException e) {
                    LOG.warn("Sweep {} failed: {}", sweep.job().name(), e.getMessage());
                    sweep.stop(JobStatus.FAILED, "The sweep failed: " + e.getMessage());
                }
            });
        }
    }

    /** Jobs whose server stopped: sweeps go back to the queue (their state is in the database), others fail. */
    private void failExpired(long now) {
        for (Job lost : execution.store().expired(now)) {
            if (execution.owner().equals(lost.leaseOwner())) {
                continue;
            }
            if (lost.type() == JobType.SWEEP) {
                execution.store().release(lost.workspace(), lost.name(), lost.leaseOwner());
                continue;
            }
            String reason = "The server running the job stopped (its lease expired); the job was not finished";
            if (execution.store().finish(lost.workspace(), lost.name(), Optional.of(lost.leaseOwner()), JobStatus.FAILED, now, null,
                    reason, null)) {
                execution.store().appendLogs(lost.workspace(), lost.name(), List.of(new JobLogLine(0, "system", now, "[atelier] " + reason)));
                execution.runs().setStatus(lost.workspace(), lost.runId(), JobStatus.FAILED, Optional.of(now));
            }
        }
    }

    private void claimLocal(long now) {
        long runningLocally = running.values().stream().filter(job -> job instanceof LocalJobRun).count();
        int free = (int) (localMaxConcurrentJobs - runningLocally);
        if (free <= 0) {
            return;
        }
        for (Job job : execution.store().queued(JobType.COMMAND, Optional.of(ComputeTarget.LOCAL), free)) {
            if (claim(job, now)) {
                LocalJobRun run = new LocalJobRun(job, execution, jobsRoot, local);
                running.put(key(job), run);
                Thread.ofVirtual().name("job-" + job.name()).start(run);
            }
        }
    }

    private void claimKubernetes(long now) {
        for (Job job : execution.store().queued(JobType.COMMAND, Optional.empty(), 50)) {
            ComputeTarget target;
            try {
                target = computes.get(job.workspace(), job.compute());
            } catch (AtelierException e) {
                if (execution.store().finish(job.workspace(), job.name(), Optional.empty(), JobStatus.FAILED, now, null,
                        "Compute '" + job.compute() + "' no longer exists", null)) {
                    execution.runs().setStatus(job.workspace(), job.runId(), JobStatus.FAILED, Optional.of(now));
                }
                continue;
            }
            if (execution.store().countActive(job.workspace(), job.compute()) >= target.maxConcurrentJobs() || !claim(job, now)) {
                continue;
            }
            RunningJob run = kubernetes.start(job, target, execution);
            running.put(key(job), run);
        }
    }

    private void claimSweeps(long now) {
        for (Job job : execution.store().queued(JobType.SWEEP, Optional.empty(), 10)) {
            claimSweep(job, now);
        }
        for (Job job : execution.store().queued(JobType.SWEEP, Optional.of(ComputeTarget.LOCAL), 10)) {
            claimSweep(job, now);
        }
    }

    private void claimSweep(Job job, long now) {
        if (claim(job, now)) {
            Job claimed = execution.store().get(job.workspace(), job.name()).orElseThrow();
            if (claimed.startedAt() == null) {
                execution.markRunning(claimed);
            } else {
                execution.store().markRunning(job.workspace(), job.name(), execution.owner(), claimed.startedAt());
            }
            running.put(key(job), new SweepRun(execution.store().get(job.workspace(), job.name()).orElseThrow(), service, execution));
        }
    }

    private boolean claim(Job job, long now) {
        boolean claimed = execution.store().claim(job.workspace(), job.name(), execution.owner(), now, now + leaseMillis);
        if (claimed) {
            nextRenewal = Math.min(nextRenewal, now + leaseMillis / 3);
        }
        return claimed;
    }

    private static String key(Job job) {
        return job.workspace() + "/" + job.name();
    }

    /** Stops claiming, ends the jobs running here as failed (sweeps go back to the queue), and waits for them to be recorded. */
    @Override
    public void close() {
        closed = true;
        wake();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (RunningJob job : running.values()) {
            if (job instanceof SweepRun) {
                execution.store().release(job.job().workspace(), job.job().name(), execution.owner());
            } else {
                job.stop(JobStatus.FAILED, SHUTDOWN_REASON);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (running.values().stream().anyMatch(job -> !(job instanceof SweepRun) && !job.done()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

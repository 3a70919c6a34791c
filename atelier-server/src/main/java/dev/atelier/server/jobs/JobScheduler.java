package dev.atelier.server.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * This server's share of the job queue. One thread polls the database a few times a second (and
 * at once when a job is queued here): it renews the leases of the jobs it holds, hands jobs whose
 * server stopped (lease expired) to their kind's driver, passes cancel requests to running jobs,
 * polls them, and claims queued jobs FIFO, one loop for every kind: the job's {@link JobDriver}
 * says whether it may start (its target's concurrency) and starts it. Claims are conditional row
 * updates, so servers sharing a database never run a job twice.
 */
public final class JobScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
    /** Polling while jobs run here (cancel requests, sweeps); submissions to this server wake the loop at once. */
    private static final long BUSY_POLL_MILLIS = 100;
    /** Polling when idle: only jobs submitted through other servers sharing the database wait for it. */
    private static final long IDLE_POLL_MILLIS = 1_000;
    private static final long SWEEP_TICK_MILLIS = 300;
    static final String SHUTDOWN_REASON = "The server shut down while the job was running";
    static final String LEASE_LOST_REASON = "This server lost the job's lease (another server took the job over, or the "
            + "database was unreachable for longer than a lease); the job was stopped here";

    /** Queued jobs looked at per pass, oldest first. */
    private static final int CLAIM_BATCH = 100;

    private final JobExecution execution;
    private final Map<JobType, JobDriver> drivers = new EnumMap<>(JobType.class);
    private final JobService service;
    private final long leaseMillis;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private volatile boolean closed;
    private boolean woken;
    private long nextRenewal;
    private long nextExpiryCheck;
    /** When this server last renewed its leases ({@link System#nanoTime}). */
    private long lastRenewal = System.nanoTime();
    private Thread thread;

    /** @param drivers one per {@link JobType} */
    JobScheduler(JobService service, JobExecution execution, List<JobDriver> drivers, Duration lease) {
        this.service = requireNonNull(service, "service is null");
        this.execution = requireNonNull(execution, "execution is null");
        drivers.forEach(this::add);
        this.leaseMillis = lease.toMillis();
    }

    /** Adds the driver of a kind; before {@link #start} only. */
    void add(JobDriver driver) {
        if (thread != null || drivers.putIfAbsent(driver.type(), driver) != null) {
            throw new IllegalStateException("cannot add a driver for " + driver.type());
        }
    }

    void start() {
        for (JobType type : JobType.values()) {
            if (!drivers.containsKey(type)) {
                throw new IllegalStateException("no driver for job type " + type);
            }
        }
        service.onQueued(this::wake);
        execution.onEnded(this::wake);
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
                stopJobsIfLeasesLapsed();
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
        long leaseNow = execution.store().databaseTime(); // leases are set and compared on the database's clock
        if (now >= nextRenewal && !running.isEmpty()) {
            renew(leaseNow);
            nextRenewal = now + leaseMillis / 3;
        }
        if (now >= nextExpiryCheck) {
            takeOverExpired(leaseNow);
            nextExpiryCheck = now + Math.max(1, leaseMillis / 3);
        }
        running.values().removeIf(RunningJob::done);
        if (!running.isEmpty()) {
            Map<String, Job> held = new HashMap<>();
            execution.store().heldBy(execution.owner()).forEach(job -> held.put(key(job), job));
            for (Map.Entry<String, RunningJob> entry : running.entrySet()) {
                Job job = held.get(entry.getKey());
                if (job == null) {
                    // Another server took the job over (this one's lease ran out): stop the work here, whose end can no
                    // longer be recorded, rather than run on beside the job's new holder.
                    entry.getValue().leaseLost();
                } else if (job.cancelRequested()) {
                    entry.getValue().stop(JobStatus.CANCELED, job.reason() != null ? job.reason() : "Canceled by request");
                }
            }
        }
        drivers.values().forEach(JobDriver::beginPass);
        for (Job job : execution.store().queued(CLAIM_BATCH)) {
            JobDriver driver = drivers.get(job.type());
            if (driver.admits(job, running.values(), now) && claim(driver, job, now, leaseNow)) {
                start(driver, job, now);
            }
        }
        for (RunningJob job : running.values()) {
            job.poll();
        }
    }

    private void renew(long leaseNow) {
        execution.store().renewLeases(execution.owner(), leaseNow + leaseMillis);
        lastRenewal = System.nanoTime();
    }

    /**
     * A pass failed (the database is unreachable, say). Once the leases held here went unrenewed for longer than a lease,
     * other servers may have taken the jobs over: they are stopped here.
     */
    private void stopJobsIfLeasesLapsed() {
        if (!running.isEmpty() && System.nanoTime() - lastRenewal > TimeUnit.MILLISECONDS.toNanos(leaseMillis)) {
            running.values().forEach(RunningJob::leaseLost);
        }
    }

    /**
     * Starts a job claimed here. A driver that throws leaves no job behind in Preparing under a lease this server would
     * renew for ever: the job ends failed, with the reason.
     */
    private void start(JobDriver driver, Job job, long now) {
        try {
            running.put(key(job), driver.start(job));
        } catch (RuntimeException e) {
            LOG.warn("Job {}/{} could not start", job.workspace(), job.name(), e);
            String reason = "The job could not start: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
            execution.finishAndRevoke(job, JobStatus.FAILED, null, reason, null);
            execution.store().appendLogs(job.workspace(), job.name(), List.of(new JobLogLine(0, "system", now, "[atelier] " + reason)));
        }
    }

    /**
     * Jobs whose server stopped, or that this server stopped after its leases lapsed: each kind's driver takes it over,
     * queues it again or ends it.
     */
    private void takeOverExpired(long leaseNow) {
        for (Job lost : execution.store().expired(leaseNow)) {
            if (!execution.owner().equals(lost.leaseOwner()) || !running.containsKey(key(lost))) {
                drivers.get(lost.type()).expired(lost, leaseNow).ifPresent(job -> running.put(key(lost), job));
            }
        }
    }

    private boolean claim(JobDriver driver, Job job, long now, long leaseNow) {
        boolean claimed = driver.claim(execution.store(), job, execution.owner(), now, leaseNow + leaseMillis);
        if (claimed) {
            if (running.isEmpty()) {
                lastRenewal = System.nanoTime(); // a fresh lease: renewals are counted from here
            }
            nextRenewal = Math.min(nextRenewal, now + leaseMillis / 3);
        }
        return claimed;
    }

    private static String key(Job job) {
        return job.workspace() + "/" + job.name();
    }

    /** Stops claiming, ends the jobs running here ({@link RunningJob#shutdown}), and waits for them to be recorded. */
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
            job.shutdown(execution);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (running.values().stream().anyMatch(job -> !job.done()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}

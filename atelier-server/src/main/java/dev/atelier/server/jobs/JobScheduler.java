package dev.atelier.server.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
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
            takeOverExpired(now);
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
        drivers.values().forEach(JobDriver::beginPass);
        for (Job job : execution.store().queued(CLAIM_BATCH)) {
            if (drivers.get(job.type()).admits(job, running.values(), now) && claim(job, now)) {
                running.put(key(job), drivers.get(job.type()).start(job));
            }
        }
        for (RunningJob job : running.values()) {
            job.poll();
        }
    }

    /** Jobs whose server stopped: each kind's driver takes it over, queues it again or ends it. */
    private void takeOverExpired(long now) {
        for (Job lost : execution.store().expired(now)) {
            if (!execution.owner().equals(lost.leaseOwner())) {
                drivers.get(lost.type()).expired(lost, now).ifPresent(job -> running.put(key(lost), job));
            }
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

package dev.atelier.server.serving.script;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks every worker of a pool once a second (process alive, {@code GET /health} answers 200) and restarts one that
 * died or failed {@value #FAILED_CHECKS} checks in a row; calls skip it meanwhile. A worker that keeps failing
 * (dies or cannot start again within {@value #STABLE_SECONDS} s of its last start) waits longer before each new
 * start: 1, 2, 4 ... up to {@value #MAX_BACKOFF_SECONDS} seconds. Restarts run on their own virtual threads so that
 * a slow {@code init()} does not hold up the checks of the other workers. Thread-safe.
 */
final class WorkerSupervisor {
    static final Duration PERIOD = Duration.ofSeconds(1);
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    static final int FAILED_CHECKS = 3;
    static final int STABLE_SECONDS = 60;
    static final int MAX_BACKOFF_SECONDS = 30;
    /** How long a restart in progress may take to stop the old process before {@link #stop} gives up waiting. */
    private static final long STOP_GRACE_MILLIS = 2000;

    private final WorkerPool pool;
    private final HttpClient http;
    private final WorkerLog log;
    private final boolean[] restarting;
    private final int[] failedChecks;
    private final int[] recentFailures;
    private final long[] startedAtNanos;
    private final long[] nextStartNanos;
    private final Thread thread;
    private volatile boolean stopped;

    WorkerSupervisor(WorkerPool pool, HttpClient http, WorkerLog log, String deploymentId) {
        this.pool = pool;
        this.http = http;
        this.log = log;
        int size = pool.size();
        this.restarting = new boolean[size];
        this.failedChecks = new int[size];
        this.recentFailures = new int[size];
        this.startedAtNanos = new long[size];
        this.nextStartNanos = new long[size];
        long now = System.nanoTime();
        Arrays.fill(startedAtNanos, now);
        this.thread = Thread.ofVirtual().name("script-workers-" + deploymentId).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(HEALTH_TIMEOUT.toMillis() + STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (!stopped) {
            for (int index = 0; index < pool.size() && !stopped; index++) {
                check(index);
            }
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(int index) {
        synchronized (this) {
            if (restarting[index]) {
                return;
            }
        }
        Optional<ScriptWorker> serving = pool.serving(index);
        if (serving.isEmpty()) {
            startWhenDue(index);
            return;
        }
        ScriptWorker worker = serving.get();
        if (!worker.alive()) {
            log.system("worker " + index + " stopped: " + worker.exitReason());
            replace(index, worker);
        } else if (worker.healthy(http, HEALTH_TIMEOUT)) {
            markHealthy(index);
        } else if (countFailedCheck(index) >= FAILED_CHECKS) {
            log.system("worker " + index + " failed " + FAILED_CHECKS + " health checks in a row");
            replace(index, worker);
        }
    }

    private void replace(int index, ScriptWorker worker) {
        pool.retire(worker);
        scheduleAfterFailure(index);
        startWhenDue(index);
    }

    private void startWhenDue(int index) {
        synchronized (this) {
            if (stopped || restarting[index] || System.nanoTime() - nextStartNanos[index] < 0) {
                return;
            }
            restarting[index] = true;
        }
        log.system("starting worker " + index + " again");
        Thread.ofVirtual().name("script-worker-" + index + "-restart").start(() -> restart(index));
    }

    private void restart(int index) {
        try {
            ScriptWorker worker = pool.relaunch(index);
            synchronized (this) {
                startedAtNanos[index] = System.nanoTime();
                failedChecks[index] = 0;
            }
            pool.serve(worker);
            log.system("worker " + index + " is back");
        } catch (RuntimeException e) {
            if (!stopped && !pool.closed()) {
                long delay = scheduleAfterFailure(index);
                log.system("worker " + index + " could not be started again (next try in " + delay + " s): " + e.getMessage());
            }
        } finally {
            synchronized (this) {
                restarting[index] = false;
            }
        }
    }

    /** Counts one more failure of the worker and returns how many seconds its next start waits. */
    private synchronized long scheduleAfterFailure(int index) {
        recentFailures[index]++;
        long delay = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(recentFailures[index] - 1, 5));
        nextStartNanos[index] = System.nanoTime() + TimeUnit.SECONDS.toNanos(delay);
        return delay;
    }

    private synchronized void markHealthy(int index) {
        failedChecks[index] = 0;
        if (System.nanoTime() - startedAtNanos[index] > TimeUnit.SECONDS.toNanos(STABLE_SECONDS)) {
            recentFailures[index] = 0;
        }
    }

    private synchronized int countFailedCheck(int index) {
        return ++failedChecks[index];
    }
}

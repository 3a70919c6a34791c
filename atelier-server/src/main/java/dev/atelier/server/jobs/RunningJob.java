package dev.atelier.server.jobs;

/**
 * A job this server is running on some target, as the scheduler sees it: the request to stop it
 * and whether its end is recorded. Thread-safe: the scheduler stops, the runner reads and finishes.
 */
abstract class RunningJob {
    private volatile JobStatus stopStatus;
    private volatile String stopReason;
    private volatile boolean done;

    abstract Job job();

    /**
     * Asks the runner to stop the job (kill its process, delete its pod) and end it with this status
     * and reason; returns at once. The first request wins.
     */
    final void stop(JobStatus status, String reason) {
        if (stopStatus == null) {
            stopReason = reason;
            stopStatus = status;
            stopRequested();
        }
    }

    /** Passes the first stop request on (to the workload); called on the requesting thread. */
    void stopRequested() {
    }

    /** Whether it has ended and its end is recorded. */
    final boolean done() {
        return done;
    }

    /** The status a stop request asked for; null while none came. */
    final JobStatus stopStatus() {
        return stopStatus;
    }

    final String stopReason() {
        return stopReason;
    }

    final void markDone() {
        done = true;
    }

    /** Called on the scheduler's thread a few times a second while it runs: pass on a stop, write buffered logs, drive. */
    abstract void poll();

    /**
     * Another server holds the job now (this one's lease ran out, or its renewals failed for longer than a lease): stop
     * working on it here. By default the job is stopped (its workload killed; its end, no longer this server's to record,
     * is refused by the store). Jobs whose state is all in the database (sweeps, pipelines) just stop being driven here,
     * leaving their children to the new holder.
     */
    void leaseLost() {
        stop(JobStatus.FAILED, JobScheduler.LEASE_LOST_REASON);
    }

    /**
     * The server is stopping: end it as failed ({@link JobScheduler#SHUTDOWN_REASON}) or hand it back to the queue
     * (a sweep, whose state is all in the database). Returns at once; {@link #done} tells when it is recorded.
     */
    void shutdown(JobExecution execution) {
        stop(JobStatus.FAILED, JobScheduler.SHUTDOWN_REASON);
    }
}

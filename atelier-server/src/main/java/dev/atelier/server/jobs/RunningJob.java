package dev.atelier.server.jobs;

/** A job this server is running on some target, as the scheduler sees it. Implementations are thread-safe. */
interface RunningJob {
    Job job();

    /** Stops the job (kills its process, deletes its pod) and ends it with this status and reason; returns at once. */
    void stop(JobStatus status, String reason);

    /** Whether it has ended and its end is recorded. */
    boolean done();
}

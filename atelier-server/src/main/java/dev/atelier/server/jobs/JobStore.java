package dev.atelier.server.jobs;

import java.util.List;
import java.util.Optional;

/**
 * Jobs, their queue and their logs. Every state change is a conditional update (the row must be
 * in the expected state, and held by the expected owner), so several servers sharing one database
 * never both claim or finish a job. Implementations are thread-safe.
 */
interface JobStore {
    /** Inserts a queued job with the next queue position; false when the name is taken. */
    boolean insert(Job job);

    Optional<Job> get(String workspace, String name);

    /** Jobs of a workspace, newest first; {@code parentJob} filters to a sweep's trials. */
    List<Job> list(String workspace, Optional<String> parentJob, int limit);

    /**
     * Top-level jobs (no parent), newest first, queued before {@code beforeSeq} when given, with {@code status} and of
     * {@code type} when given.
     */
    List<Job> page(String workspace, Optional<JobStatus> status, Optional<JobType> type, Optional<Long> beforeSeq, int limit);

    /** Queued jobs of every kind, oldest first, across workspaces. */
    List<Job> queued(int limit);

    /** Jobs this owner holds (Preparing or Running). */
    List<Job> heldBy(String owner);

    /** Jobs not yet ended on one compute target of a workspace, whoever holds them. */
    int countActive(String workspace, String compute);

    /** How many jobs of every workspace are in each status (the queue-depth gauges of /metrics); absent statuses have none. */
    java.util.Map<JobStatus, Long> countByStatus();

    /** Moves a queued job to Preparing, held by {@code owner} until {@code leaseExpires}; false when another took it. */
    boolean claim(String workspace, String name, String owner, long now, long leaseExpires);

    /**
     * Claims like {@link #claim}, only while fewer than {@code maxActive} command jobs of the workspace are Preparing or
     * Running on {@code compute}: the count and the claim are one step, so servers claiming at once stay within the
     * target's limit together. False when the target is full or another took the job.
     */
    boolean claimWithin(String workspace, String name, String compute, int maxActive, String owner, long now, long leaseExpires);

    /** Extends the leases of every job the owner holds. */
    void renewLeases(String owner, long leaseExpires);

    /** Preparing → Running, for the holder. */
    boolean markRunning(String workspace, String name, String owner, long now);

    /** Ends a job the owner holds (or a queued job when {@code owner} is empty); false when it was not in that state. */
    boolean finish(String workspace, String name, Optional<String> owner, JobStatus status, long now, Integer exitCode, String reason,
                   String result);

    /** Sets the {@code result} of a job the owner holds while it runs (its progress); false when it does not hold it. */
    boolean progress(String workspace, String name, String owner, String result);

    /** Puts a job the owner holds back in the queue (a sweep whose driver stops; another server resumes it). */
    boolean release(String workspace, String name, String owner);

    /**
     * Ends a job whose holder stopped: only while {@code expectedOwner} still holds it and its lease ran out before
     * {@code now} (a holder that renewed meanwhile keeps its job). False otherwise.
     */
    boolean finishExpired(String workspace, String name, String expectedOwner, long now, JobStatus status, String reason);

    /** Puts a job whose holder stopped back in the queue, on the same conditions as {@link #finishExpired}. */
    boolean releaseExpired(String workspace, String name, String expectedOwner, long now);

    /**
     * The database's clock, in milliseconds since the epoch: every lease is set and compared on it, so servers whose
     * clocks differ agree on when a lease runs out.
     */
    long databaseTime();

    /** Asks the holder of a running job to cancel it, for {@code reason} (recorded as the job's reason). */
    void requestCancel(String workspace, String name, String reason);

    /** Jobs held by a server whose lease ran out before {@code now}. */
    List<Job> expired(long now);

    /**
     * Takes over a job whose holder stopped: moves the lease of a Preparing or Running job held by
     * {@code expectedOwner}, whose lease ran out before {@code now}, to {@code newOwner} until
     * {@code leaseExpires}, keeping its status and times (a Kubernetes job runs on without its server
     * and is re-attached). False when the job ended, its holder renewed the lease, or another server took it first.
     */
    boolean takeOver(String workspace, String name, String expectedOwner, String newOwner, long now, long leaseExpires);

    /** Appends lines after the job's last one, numbering them from there (their own {@code seq} is ignored). */
    void appendLogs(String workspace, String name, List<JobLogLine> lines);

    List<JobLogLine> logs(String workspace, String name, long afterSeq, int limit);

    /** When the job's last log line was written (milliseconds since the epoch); 0 when it has none. */
    long lastLogAt(String workspace, String name);
}

package dev.atelier.server.jobs;

import java.util.Collection;
import java.util.Optional;

/**
 * Runs one kind of job ({@link JobType}); {@link JobsModule} registers one driver per kind, and {@link JobScheduler}'s
 * one claim loop asks the job's driver. Called on the scheduler's thread only.
 */
interface JobDriver {
    JobType type();

    /** A claim pass over the queue begins: what a driver remembers between {@link #admits} calls is from this pass. */
    default void beginPass() {
    }

    /**
     * Whether this queued job may start on this server now (its target's capacity). May end the job instead (its
     * compute target is gone) and answer false.
     */
    boolean admits(Job queued, Collection<RunningJob> runningHere, long now);

    /**
     * Claims a job {@link #admits} admitted, for {@code owner} until {@code leaseExpires}: by default a conditional update
     * of its state alone. False when another server took it (or its target filled meanwhile).
     */
    default boolean claim(JobStore store, Job queued, String owner, long now, long leaseExpires) {
        return store.claim(queued.workspace(), queued.name(), owner, now, leaseExpires);
    }

    /** Starts a job this server has just claimed; returns at once. */
    RunningJob start(Job claimed);

    /**
     * A job of this kind whose server stopped (its lease expired): take it over (and return what runs it here), hand
     * it back to the queue, or end it.
     */
    Optional<RunningJob> expired(Job lost, long now);
}

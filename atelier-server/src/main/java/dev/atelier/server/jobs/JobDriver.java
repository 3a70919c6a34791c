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

    /** Starts a job this server has just claimed; returns at once. */
    RunningJob start(Job claimed);

    /**
     * A job of this kind whose server stopped (its lease expired): take it over (and return what runs it here), hand
     * it back to the queue, or end it.
     */
    Optional<RunningJob> expired(Job lost, long now);
}

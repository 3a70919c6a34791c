package dev.atelier.server.jobs;

/**
 * A kind of job run by a domain outside this package (batch scoring), registered with {@link JobsModule#register}
 * before the scheduler starts; {@link KindDriver} is its {@link JobDriver}. The kind's jobs are always admitted (they
 * hold no target capacity), started on the scheduler's thread and run on the kind's own threads. A job whose server
 * stopped is taken over ({@link JobStore#takeOver}) and started again, as is one handed back to the queue when its
 * server shut down: {@link #start} resumes from the state the kind keeps in its own tables.
 */
public interface JobKind {
    JobType type();

    /** Starts or resumes a job this server holds; returns at once. */
    Execution start(JobControl control);

    /** A job of this kind running here. Thread-safe. */
    interface Execution {
        /** Asks it to stop (a cancel request) and end the job with this status and reason; returns at once. */
        void stop(JobStatus status, String reason);

        /**
         * The server is stopping: stop working without ending the job and return once nothing more is written (the job
         * goes back to the queue and resumes on the next server).
         */
        void suspend();

        /** Whether it has ended (its end recorded through {@link JobControl#finish}) or was suspended. */
        boolean done();
    }
}

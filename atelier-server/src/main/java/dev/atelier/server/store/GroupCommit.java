package dev.atelier.server.store;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serializes the writes of this process to SQLite and commits concurrent ones together. SQLite
 * allows one writer at a time; instead of each writer taking the lock, opening a transaction and
 * committing alone, a writer queues its callback and whoever holds the lock runs every queued
 * callback in one transaction, each inside its own savepoint. A callback that throws is rolled back
 * to its savepoint and its caller gets the exception; the others commit. Every caller returns only
 * after the transaction holding its write committed (or gets the commit's failure). Thread-safe.
 */
final class GroupCommit {
    /** Callbacks per transaction at most, so one transaction never holds the writers for long. */
    private static final int MAX_GROUP = 64;

    private final Jdbi jdbi;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<PendingWrite<?>> queue = new ConcurrentLinkedQueue<>();

    GroupCommit(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    <R> R write(HandleCallback<R, RuntimeException> callback) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("a database write may not start another write: SQLite has one writer");
        }
        PendingWrite<R> write = new PendingWrite<>(callback);
        queue.add(write);
        lock.lock();
        try {
            // Groups are taken in queue order, 64 at most: run groups until this write's has run.
            while (!write.done) {
                runQueued();
            }
        } finally {
            lock.unlock();
        }
        return write.outcome();
    }

    private void runQueued() {
        List<PendingWrite<?>> group = new ArrayList<>();
        for (PendingWrite<?> next; group.size() < MAX_GROUP && (next = queue.poll()) != null; ) {
            group.add(next);
        }
        try (Handle handle = jdbi.open()) {
            handle.begin();
            try {
                if (group.size() == 1) {
                    group.getFirst().run(handle);
                } else {
                    // One statement object for every savepoint of the group: they run for every write and carry no data.
                    try (Statement savepoints = handle.getConnection().createStatement()) {
                        for (PendingWrite<?> write : group) {
                            write.runInSavepoint(handle, savepoints);
                        }
                    }
                }
                handle.commit();
            } catch (Throwable e) { // an Error or a checked exception thrown past the compiler too: never a silent success
                rollbackQuietly(handle, e);
                group.forEach(write -> write.failIfSucceeded(e));
            }
        } catch (Throwable e) {
            group.forEach(write -> write.failIfSucceeded(e));
        } finally {
            group.forEach(PendingWrite::finish);
        }
    }

    private static void rollbackQuietly(Handle handle, Throwable cause) {
        try {
            handle.rollback();
        } catch (RuntimeException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    /** One queued callback and, once run, its value or failure. Fields are guarded by the lock. */
    private static final class PendingWrite<R> {
        private final HandleCallback<R, RuntimeException> callback;
        private R value;
        private Throwable failure;
        private volatile boolean done;

        PendingWrite(HandleCallback<R, RuntimeException> callback) {
            this.callback = callback;
        }

        /** Runs alone in the transaction: a failure fails the transaction. */
        void run(Handle handle) {
            value = callback.withHandle(handle);
        }

        /** Runs in a savepoint: a failure of the callback undoes only its own writes. */
        void runInSavepoint(Handle handle, Statement savepoints) {
            execute(savepoints, "SAVEPOINT write");
            try {
                value = callback.withHandle(handle);
            } catch (Throwable e) { // whatever it throws undoes only its own writes
                execute(savepoints, "ROLLBACK TO write");
                failure = e;
            } finally {
                execute(savepoints, "RELEASE write");
            }
        }

        /** Savepoint statements go straight to the connection: they run for every write and carry no data. */
        private static void execute(Statement savepoints, String sql) {
            try {
                savepoints.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
            }
        }

        void failIfSucceeded(Throwable transactionFailure) {
            if (failure == null) {
                failure = transactionFailure;
            }
        }

        void finish() {
            done = true;
        }

        R outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new java.lang.reflect.UndeclaredThrowableException(failure, "the write failed: " + failure);
            }
            return value;
        }
    }
}

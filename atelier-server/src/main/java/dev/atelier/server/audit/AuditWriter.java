package dev.atelier.server.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Writes audit events to the store in batches, from one background thread, so that a request
 * pays for a queue insertion rather than a database transaction. Thread-safe.
 *
 * <p>Durability: an event is in memory until the next flush (every {@code flushInterval}), so a
 * crash can lose the events of that interval. A full queue never drops an event: the caller
 * waits up to {@code enqueueTimeout} for room, then writes the queued events and its own
 * synchronously (back-pressure instead of loss). When the database refuses a batch, its events are written one by
 * one: only an event refused alone is logged and lost.
 */
final class AuditWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 1_000;

    private final AuditStore store;
    private final Duration flushInterval;
    private final Duration enqueueTimeout;
    private final BlockingQueue<AuditEvent> queue;
    /** Held while draining and writing, so that {@link #flush} returns only after earlier events are stored. */
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Thread thread;
    private volatile boolean closed;

    private AuditWriter(AuditStore store, Duration flushInterval, int capacity, Duration enqueueTimeout) {
        this.store = requireNonNull(store, "store is null");
        this.flushInterval = requireNonNull(flushInterval, "flushInterval is null");
        this.enqueueTimeout = requireNonNull(enqueueTimeout, "enqueueTimeout is null");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("atelier-audit-writer").daemon().unstarted(this::flushPeriodically);
    }

    static AuditWriter start(AuditStore store, Duration flushInterval, int capacity, Duration enqueueTimeout) {
        AuditWriter writer = new AuditWriter(store, flushInterval, capacity, enqueueTimeout);
        writer.thread.start();
        return writer;
    }

    /** Queues {@code event}; writes synchronously when the queue stays full or the writer is closed. */
    void enqueue(AuditEvent event) {
        requireNonNull(event, "event is null");
        if (closed) {
            writeNow(event);
            return;
        }
        boolean queued;
        try {
            queued = queue.offer(event, enqueueTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            queued = false;
        }
        if (!queued) {
            writeNow(event);
        } else if (closed) {
            flush(); // close() may have drained the queue just before this event arrived
        }
    }

    /** Writes every event queued before the call; returns after they are committed (or logged as lost). */
    void flush() {
        writeLock.lock();
        try {
            List<AuditEvent> batch = new ArrayList<>();
            while (queue.drainTo(batch, MAX_BATCH) > 0) {
                write(batch);
                batch.clear();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void writeNow(AuditEvent event) {
        writeLock.lock();
        try {
            List<AuditEvent> batch = new ArrayList<>();
            queue.drainTo(batch);
            batch.add(event);
            write(batch);
        } finally {
            writeLock.unlock();
        }
    }

    private void write(List<AuditEvent> batch) {
        try {
            store.insertEvents(batch);
        } catch (RuntimeException e) {
            // One event the database refuses (a NUL in a field on PostgreSQL) must not take the others with it.
            int lost = 0;
            for (AuditEvent event : batch) {
                try {
                    store.insertEvents(List.of(event));
                } catch (RuntimeException single) {
                    lost++;
                }
            }
            if (lost > 0) {
                LOG.error("Could not write {} of {} audit events; they are lost", lost, batch.size(), e);
            }
        }
    }

    private void flushPeriodically() {
        // Parks rather than sleeps: close() wakes it with unpark, never with an interrupt, which would
        // make the connection pool abandon a batch being written.
        while (!closed) {
            LockSupport.parkNanos(flushInterval.toNanos());
            flush();
        }
    }

    /** Stops the background thread and writes what is still queued. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
